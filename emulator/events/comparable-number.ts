/**
 * Which numbers event patterns can compare. event-ruler turns a JSON number into a double
 * and refuses it ("Cannot compare number : 1e400") when the double is not exactly the
 * decimal that was written: infinities, and values with more precision than a double holds.
 */

/** The number written as `text` (a JSON number), or undefined when it cannot be compared. */
export function comparableNumber(text: string): number | undefined {
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  // Java checks BigDecimal.valueOf(double) == new BigDecimal(text); the shortest decimal of
  // the double is what both Java and JavaScript print.
  return sameDecimal(canonical(text), canonical(String(value))) ? value : undefined;
}

interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

function canonical(text: string): Decimal {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return { negative: false, digits: 'NaN', exponent: 0 };
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = whole + fraction;
  let exp = Number(exponent) - fraction.length;
  digits = digits.replace(/^0+/, '');
  const trailing = /0*$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exp += trailing;
  if (digits === '') return { negative: false, digits: '0', exponent: 0 };
  return { negative: sign === '-', digits, exponent: exp };
}

function sameDecimal(a: Decimal, b: Decimal): boolean {
  return a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent;
}
