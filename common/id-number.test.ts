import { describe, expect, it } from 'vitest';
import {
  idCheckCharacter,
  maskIdNumber,
  maskPhone,
  normalizeIdNumber,
  parseIdNumber,
  parsePhone,
} from './id-number.js';

const TODAY = '2026-06-01';

/** The check character worked out by hand: Σ digit × 2^(17−i) mod 11 → "10X98765432". */
function handCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  return '10X98765432'.charAt(sum % 11);
}

describe('ID numbers (GB 11643-1999)', () => {
  it('accepts the examples of the standard and derives birth date and gender', () => {
    // 11010519491231002X is the standard's own example: a woman born 1949-12-31 in Chaoyang, Beijing.
    expect(parseIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      region: '110105',
      birthDate: '1949-12-31',
      gender: 'female',
    });
    expect(parseIdNumber('440524188001010014', TODAY)).toMatchObject({ ok: false, problem: 'birth_date' });
    // 3·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+9·6+0·3+0·7+3·9+0·10+7·5+1·8+2·4+3·2 = 204; 204 mod 11 = 6 → '6'.
    expect(idCheckCharacter('31010519900307123')).toBe('6');
    expect(parseIdNumber('310105199003071238', TODAY)).toEqual({ ok: false, problem: 'check_digit' });
    expect(parseIdNumber('310105199003071236', TODAY)).toMatchObject({
      ok: true,
      birthDate: '1990-03-07',
      gender: 'male',
    });
  });

  it('matches hand arithmetic for many numbers', () => {
    for (let n = 0; n < 500; n++) {
      const first17 = `310104${1950 + (n % 70)}0${1 + (n % 9)}1${n % 10}${String(n).padStart(3, '0')}`;
      expect(idCheckCharacter(first17)).toBe(handCheck(first17));
      const good = `${first17}${handCheck(first17)}`;
      expect(parseIdNumber(good, TODAY).ok).toBe(true);
      // Any other check character is refused.
      const wrong = '0123456789X'.replace(handCheck(first17), '')[n % 10];
      expect(parseIdNumber(`${first17}${wrong}`, TODAY)).toEqual({ ok: false, problem: 'check_digit' });
    }
  });

  it('normalizes a lower-case x, spaces and full-width digits', () => {
    expect(normalizeIdNumber(' 110105 19491231 002x ')).toBe('11010519491231002X');
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X');
    expect(parseIdNumber('11010519491231002x', TODAY).ok).toBe(true);
  });

  it('refuses wrong lengths, letters, unknown provinces and impossible or future dates', () => {
    const withCheck = (first17: string) => `${first17}${handCheck(first17)}`;
    expect(parseIdNumber('310105900307123', TODAY)).toEqual({ ok: false, problem: 'length' });
    expect(parseIdNumber('31010519900307123A', TODAY)).toEqual({ ok: false, problem: 'format' });
    expect(parseIdNumber(withCheck('99010519900307123'), TODAY)).toEqual({ ok: false, problem: 'region' });
    expect(parseIdNumber(withCheck('31010520230229123'), TODAY)).toEqual({ ok: false, problem: 'birth_date' });
    expect(parseIdNumber(withCheck('31010520240229123'), TODAY).ok).toBe(true);
    expect(parseIdNumber(withCheck('31010519901301123'), TODAY)).toEqual({ ok: false, problem: 'birth_date' });
    expect(parseIdNumber(withCheck('31010520260602123'), TODAY)).toEqual({ ok: false, problem: 'future_birth_date' });
    expect(parseIdNumber(withCheck('31010520260601123'), TODAY).ok).toBe(true);
  });

  it('masks to the region and the last four', () => {
    expect(maskIdNumber('310105199003071238')).toBe('310105********1238');
    expect(maskIdNumber('12345')).toBe('***45');
  });
});

describe('phones', () => {
  it('accepts mainland mobiles and landlines, normalized', () => {
    expect(parsePhone('138 1234 5678')).toEqual({ ok: true, normalized: '13812345678', kind: 'mobile' });
    expect(parsePhone('+86-13812345678')).toEqual({ ok: true, normalized: '13812345678', kind: 'mobile' });
    expect(parsePhone('021-62345678')).toEqual({ ok: true, normalized: '021-62345678', kind: 'landline' });
    expect(parsePhone('(0755)2345678-801')).toEqual({ ok: true, normalized: '0755-2345678-801', kind: 'landline' });
  });

  it('refuses what is neither', () => {
    for (const bad of ['12812345678', '1381234567', '138123456789', '62345678', '021-1234567', 'abc']) {
      expect(parsePhone(bad)).toEqual({ ok: false, problem: 'format' });
    }
  });

  it('masks the middle', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('021-62345678')).toBe('021-****5678');
    expect(maskPhone('0755-2345678-801')).toBe('0755-***5678');
  });
});
