import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataMotionState, SimAccount } from './datamotion-state';

/** DataMotion's error bodies are `{"Message": "…"}` (ASP.NET Web API; a guess, README). */
export function sendMessage(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ Message: message });
}

/** The session's account, or undefined with the reference's 401 already sent. */
export function sessionAccountOr401(
  state: DataMotionState,
  request: FastifyRequest,
  reply: FastifyReply,
): SimAccount | undefined {
  const header = request.headers['x-session-key'];
  const account = state.sessionAccount(typeof header === 'string' ? header : undefined);
  if (typeof account === 'string') {
    void sendMessage(reply, 401, account);
    return undefined;
  }
  return account;
}
