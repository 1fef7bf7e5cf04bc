import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but when it is given, even as `null`, it is validated: class-validator's
 * own `IsOptional` lets `null` through, which then reaches services as a value nobody expected.
 */
export const IsOmittable = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
