/**
 * Takes personal data out of text before anything is stored for insights:
 * e-mail addresses, phone numbers and any other long run of digits (card,
 * account or order numbers). Sizes, percentages, iOS versions and iPhone
 * models stay: they are what the team needs to read ("stuck at 47%",
 * "3.4 GB", "iOS 17.2").
 */

// Bounded repeats and a start only where a token starts: a 256 KiB message must take linear time, not quadratic.
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){0,8}\.\p{L}{2,24}/gu;
// A phone number: optional +, then digits with spaces, dots, dashes or brackets between them, 7+ digits in all.
const PHONE = /(?<![\p{L}\p{N}])\+?\(?\d[\d\s().-]{5,24}\d(?![\p{L}\p{N}])/gu;
const LONG_DIGITS = /\d{6,}/g;
const MIN_PHONE_DIGITS = 7;

export const REDACTED = { email: '[email]', phone: '[phone]', number: '[number]' } as const;

export function redact(text: string): string {
  return text
    .replace(EMAIL, REDACTED.email)
    .replace(PHONE, (match) => {
      const digits = match.replace(/\D/g, '').length;
      // "17.2.1", "3.4 GB" or "12 - 14" are not phone numbers: too few digits.
      return digits >= MIN_PHONE_DIGITS ? REDACTED.phone : match;
    })
    .replace(LONG_DIGITS, REDACTED.number);
}

/** Every string inside a JSON-like value redacted (a card's submitted values, a hand-off's summary). */
export function redactStrings<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactStrings) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v)])) as T;
  return value;
}
