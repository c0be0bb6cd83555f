// The default paginator of SortedTableInHtmlTable: previous and next buttons and a label saying
// which rows are shown, or just the row count when everything fits on one page.
import {type ReactNode, useEffect} from 'react';
import type {SortedTablePaginatorProps} from './types.js';

/**
 * Previous and next buttons and a label such as `1 to 10 of 42 rows` when the rows do not fit in
 * one page (`limit`), else just `42 rows`. SortedTableInHtmlTable renders it in its caption when
 * given `paginator`.
 *
 * @example
 * <SortedTablePaginator total={5} limit={2} offset={2} onChange={setOffset} />
 * // <button class="previous">←</button><button class="next">→</button>3 to 4 of 5 rows
 */
export function SortedTablePaginator({
  onChange,
  offset = 0,
  limit,
  total,
  singular = 'row',
  plural = `${singular}s`,
}: SortedTablePaginatorProps): ReactNode {
  // An offset outside the table (rows were deleted, or a bad prop) shows the first page, and the
  // owner hears about it so that it fetches the rows of that page.
  const shownOffset = offset < 0 || offset >= total ? 0 : offset;
  useEffect(() => {
    if (shownOffset !== offset) {
      onChange(shownOffset);
    }
  }, [shownOffset, offset, onChange]);

  const rows = `${total} ${total === 1 ? singular : plural}`;
  if (limit === undefined || total <= limit) {
    return rows;
  }
  const last = Math.min(total, shownOffset + limit);
  return (
    <>
      {/* No type attribute, as TinyBase renders none (the HTML must match). */}
      {/* biome-ignore lint/a11y/useButtonType: see above */}
      <button
        className="previous"
        disabled={shownOffset === 0}
        onClick={() => onChange(Math.max(0, shownOffset - limit))}
      >
        ←
      </button>
      {/* No type attribute, as TinyBase renders none (the HTML must match). */}
      {/* biome-ignore lint/a11y/useButtonType: see above */}
      <button
        className="next"
        disabled={shownOffset + limit >= total}
        onClick={() => onChange(shownOffset + limit)}
      >
        →
      </button>
      {`${shownOffset + 1} to ${last} of ${rows}`}
    </>
  );
}
