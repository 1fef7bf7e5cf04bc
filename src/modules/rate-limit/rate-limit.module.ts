import { Global, Module } from '@nestjs/common';
import { InboundRateLimiter } from './inbound-rate-limiter';

/** Inbound request limits per API key and tenant, shared across processes through Redis. */
@Global()
@Module({ providers: [InboundRateLimiter], exports: [InboundRateLimiter] })
export class RateLimitModule {}
