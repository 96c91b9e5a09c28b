// Financial years: calendar years of 12 monthly periods, from three years before the year of `asOf` to that year.
import { dayFromYmd, monthOfDay, sageDate, yearOfDay } from './dates.ts';

export class Calendar {
  readonly firstYear: number;
  readonly currentYear: number;
  readonly years: number;
  readonly firstDay: number;
  readonly lastDay: number;

  constructor(
    readonly asOfDay: number,
    historyYears = 3,
  ) {
    this.currentYear = yearOfDay(asOfDay);
    this.firstYear = this.currentYear - historyYears;
    this.years = historyYears + 1;
    this.firstDay = dayFromYmd(this.firstYear, 1, 1);
    this.lastDay = dayFromYmd(this.currentYear, 12, 31);
  }

  get periods(): number {
    return this.years * 12;
  }

  contains(day: number): boolean {
    return day >= this.firstDay && day <= this.lastDay;
  }

  private periodByDay: Int16Array | null = null;

  /** accounting period index of a day (days outside the years clamp to the first/last period) */
  periodOf = (day: number): number => {
    if (!this.periodByDay) {
      const n = this.lastDay - this.firstDay + 1;
      const arr = new Int16Array(n);
      for (let i = 0; i < n; i++) {
        const d = this.firstDay + i;
        arr[i] = (yearOfDay(d) - this.firstYear) * 12 + monthOfDay(d) - 1;
      }
      this.periodByDay = arr;
    }
    const i = day - this.firstDay;
    if (i < 0) return 0;
    if (i >= this.periodByDay.length) return this.periods - 1;
    return this.periodByDay[i];
  };

  yearIndexOf(day: number): number {
    return yearOfDay(day) - this.firstYear;
  }

  periodStart(p: number): number {
    return dayFromYmd(this.firstYear + Math.floor(p / 12), (p % 12) + 1, 1);
  }

  periodEnd(p: number): number {
    return this.periodStart(p + 1) - 1;
  }

  financialYearId(yearIndex: number): number {
    return 101 + yearIndex;
  }

  accountingPeriodId(p: number): number {
    return 1001 + p;
  }

  yearStart(yearIndex: number): string {
    return sageDate(dayFromYmd(this.firstYear + yearIndex, 1, 1));
  }

  yearEnd(yearIndex: number): string {
    return sageDate(dayFromYmd(this.firstYear + yearIndex, 12, 31));
  }

  relative(yearIndex: number): number {
    return this.firstYear + yearIndex - this.currentYear;
  }
}
