const INT32_MAX = 2_147_483_647;

/**
 * A setting that must be a positive 32-bit integer, given as a number or as digits in a string
 * (a vendor id such as DataMotion's CompanyId); null when it is anything else.
 */
export function positiveInteger(raw: unknown): number | null {
  const value = typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > INT32_MAX) return null;
  return value;
}
