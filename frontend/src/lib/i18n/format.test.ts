import { describe, expect, it } from 'vitest'
import { dateText, dateTimeText, numberText, pluralOf } from './format'

// Moments on the local clock, so that the tests hold in every time zone.
const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min).getTime()

describe('dateText', () => {
  it('writes day, short month and year in English and Dutch', () => {
    expect(dateText(local(2026, 11, 27, 10, 42), 'en')).toBe('27 Nov 2026')
    expect(dateText(local(2026, 11, 27, 10, 42), 'nl')).toBe('27 nov 2026')
  })

  it('has every month’s name in both languages', () => {
    const en = Array.from({ length: 12 }, (_, m) => dateText(local(2026, m + 1, 5), 'en'))
    const nl = Array.from({ length: 12 }, (_, m) => dateText(local(2026, m + 1, 5), 'nl'))
    expect(en.join('; ')).toBe(
      '5 Jan 2026; 5 Feb 2026; 5 Mar 2026; 5 Apr 2026; 5 May 2026; 5 Jun 2026; 5 Jul 2026; 5 Aug 2026; 5 Sep 2026; 5 Oct 2026; 5 Nov 2026; 5 Dec 2026',
    )
    expect(nl.join('; ')).toBe(
      '5 jan 2026; 5 feb 2026; 5 mrt 2026; 5 apr 2026; 5 mei 2026; 5 jun 2026; 5 jul 2026; 5 aug 2026; 5 sep 2026; 5 okt 2026; 5 nov 2026; 5 dec 2026',
    )
  })

  it('writes single-digit days without a leading zero', () => {
    expect(dateText(local(2027, 1, 1), 'en')).toBe('1 Jan 2027')
    expect(dateText(local(2026, 12, 31, 23, 59), 'nl')).toBe('31 dec 2026')
  })

  it('takes a bare date as that day in every time zone', () => {
    expect(dateText('2024-01-01', 'en')).toBe('1 Jan 2024')
    expect(dateText('2026-12-31', 'nl')).toBe('31 dec 2026')
    expect(dateText('2024-02-29', 'nl')).toBe('29 feb 2024')
  })

  it('reads RFC 3339 strings and Unix milliseconds alike', () => {
    const at = local(2026, 3, 9, 8, 5)
    expect(dateText(new Date(at).toISOString(), 'en')).toBe('9 Mar 2026')
    expect(dateText(at, 'en')).toBe('9 Mar 2026')
  })

  it('gives back what is no moment', () => {
    expect(dateText('not a date', 'en')).toBe('not a date')
    expect(dateText('2026-13-01', 'nl')).toBe('2026-13-01')
  })
})

describe('dateTimeText', () => {
  it('adds the time on a 24-hour clock', () => {
    expect(dateTimeText(local(2026, 11, 27, 10, 42), 'en')).toBe('27 Nov 2026, 10:42')
    expect(dateTimeText(local(2026, 11, 27, 22, 7), 'nl')).toBe('27 nov 2026, 22:07')
  })

  it('writes midnight and single digits with two digits each', () => {
    expect(dateTimeText(local(2026, 1, 1, 0, 0), 'en')).toBe('1 Jan 2026, 00:00')
    expect(dateTimeText(local(2026, 5, 3, 9, 5), 'nl')).toBe('3 mei 2026, 09:05')
    expect(dateTimeText(local(2026, 5, 3, 23, 59), 'nl')).toBe('3 mei 2026, 23:59')
  })

  it('gives back what is no moment', () => {
    expect(dateTimeText('soon', 'nl')).toBe('soon')
  })
})

describe('numberText', () => {
  it.each([
    [0, '0', '0'],
    [7, '7', '7'],
    [999, '999', '999'],
    [1000, '1,000', '1.000'],
    [12345, '12,345', '12.345'],
    [1234567, '1,234,567', '1.234.567'],
    [-4321, '-4,321', '-4.321'],
    [1234.5, '1,234.5', '1.234,5'],
    [0.125, '0.125', '0,125'],
  ])('%d is %s in English and %s in Dutch', (n, en, nl) => {
    expect(numberText(n, 'en')).toBe(en)
    expect(numberText(n, 'nl')).toBe(nl)
  })

  it('agrees with toLocaleString for counts', () => {
    for (const n of [0, 1, 42, 999, 1000, 10000, 99999, 100000, 1234567]) {
      expect(numberText(n, 'en')).toBe(n.toLocaleString('en'))
      expect(numberText(n, 'nl')).toBe(n.toLocaleString('nl'))
    }
  })
})

describe('pluralOf', () => {
  it('is "one" for exactly one and "other" for the rest', () => {
    expect(pluralOf(1)).toBe('one')
    for (const n of [0, 2, 11, 21, 101, 1.5, -1]) expect(pluralOf(n), String(n)).toBe('other')
  })
})
