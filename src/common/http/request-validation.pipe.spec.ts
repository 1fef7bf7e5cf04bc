import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { GatewayError } from '../../domain/errors';
import { RequestValidationPipe } from './request-validation.pipe';

class QuotaDto {
  @IsInt()
  @Min(1)
  @Max(1000)
  quotaMb: number;

  @IsString()
  @Length(3, 10)
  name: string;
}

async function fieldErrors(body: unknown): Promise<unknown> {
  try {
    await new RequestValidationPipe().transform(body, { type: 'body', metatype: QuotaDto });
  } catch (error) {
    if (error instanceof GatewayError) return error.errors;
    throw error;
  }
  return [];
}

describe('RequestValidationPipe messages', () => {
  it('reports a wrong type alone, not the range and length checks it also fails', async () => {
    expect(await fieldErrors({ quotaMb: 'x', name: 42 })).toEqual([
      { field: 'quotaMb', message: 'quotaMb must be an integer number' },
      { field: 'name', message: 'name must be a string' },
    ]);
  });

  it('reports every failed check of a value of the right type', async () => {
    expect(await fieldErrors({ quotaMb: 0, name: 'ab' })).toEqual([
      { field: 'quotaMb', message: 'quotaMb must not be less than 1' },
      { field: 'name', message: 'name must be longer than or equal to 3 characters' },
    ]);
  });

  it('accepts a valid body', async () => {
    expect(await fieldErrors({ quotaMb: 5, name: 'abcd' })).toEqual([]);
  });
});
