import { pageInfo } from "@reelay/contract";
import type { PageInfo, PageQuery } from "@reelay/contract";

/** Page-number pagination; past the last page `data` is empty, which is what the SDK pagers stop on. */
export function paginate<T>(rows: T[], query: PageQuery): { data: T[]; page_info: PageInfo } {
  const start = (query.page - 1) * query.page_limit;
  return { data: rows.slice(start, start + query.page_limit), page_info: pageInfo(query, rows.length) };
}

export function byCreation<T extends { createdAt: Date; updatedAt?: Date; seq: number }>(
  sortBy: "created_at" | "updated_at",
  order: "asc" | "desc",
): (a: T, b: T) => number {
  const sign = order === "asc" ? 1 : -1;
  return (a, b) => {
    const key = (row: T) => (sortBy === "updated_at" ? (row.updatedAt ?? row.createdAt) : row.createdAt).getTime();
    return sign * (key(a) - key(b) || a.seq - b.seq);
  };
}
