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

  periodOf = (day: number): number => (yearOfDay(day) - this.firstYear) * 12 + monthOfDay(day) - 1;

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
