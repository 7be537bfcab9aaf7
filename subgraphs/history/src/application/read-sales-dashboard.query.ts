import { z } from 'zod';
import type { SalesDashboard } from '../domain/sales-dashboard';
import type { SalesStore } from './ports';

const scheduleIdSchema = z.guid();

/** A schedule's dashboard by its id in any letter case (events carry ids lower-case); an id that is no UUID has none. */
export function readSalesDashboard(sales: Pick<SalesStore, 'dashboard'>) {
  return async (scheduleId: string): Promise<SalesDashboard | null> => {
    const parsed = scheduleIdSchema.safeParse(scheduleId);
    return parsed.success ? sales.dashboard(parsed.data.toLowerCase()) : null;
  };
}
