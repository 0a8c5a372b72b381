// Calendar fields of a UTC epoch-millisecond time, as pandas' dt accessors give them (dayofweek
// Monday 0, dayofyear from 1). One owner: the preprocessor's date parts and the time-features step
// both read it.
export interface CalendarFields {
  year: number;
  month: number;
  day: number;
  dayofweek: number;
  weekend: number;
  hour: number;
  minute: number;
  dayofyear: number;
}

export function calendar(ms: number): CalendarFields {
  const days = Math.floor(ms / 86400000);
  const dayofweek = (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  // Howard Hinnant's civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doyMarch = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doyMarch + 2) / 153);
  const day = doyMarch - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const msOfDay = ms - days * 86400000;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][month - 1] + (leap && month > 2 ? 1 : 0);
  return {
    year, month, day, dayofweek, weekend: dayofweek >= 5 ? 1 : 0,
    hour: Math.floor(msOfDay / 3600000), minute: Math.floor((msOfDay % 3600000) / 60000), dayofyear: before + day,
  };
}
