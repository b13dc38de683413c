// Server errors on the form item they name. The server's error envelope carries the field it
// refuses (`phone`, `member.id_number`, `value`); a dialog shows that message under the matching
// form item instead of a passing toast, and falls back to the toast when it has no such item.

import { ApiError, notifyError } from './api'

export type FieldErrors = Record<string, string>

/** The form item of a server error: its field, renamed through `aliases`, when `items` holds it. */
export function formItemOf(error: unknown, items: readonly string[], aliases: Record<string, string> = {}): string | null {
  if (!(error instanceof ApiError) || !error.field) return null
  const field = aliases[error.field] ?? error.field
  return items.includes(field) ? field : null
}

/** Empties every message of `errors` (before a new submission). */
export function clearFieldErrors(errors: FieldErrors): void {
  for (const key of Object.keys(errors)) errors[key] = ''
}

/**
 * Puts a failed request's message under its form item (`errors[item]`), or shows it the usual way
 * when the form has no item for it. Answers the item, or null.
 */
export function placeServerError(
  error: unknown,
  errors: FieldErrors,
  items: readonly string[],
  aliases: Record<string, string> = {},
): string | null {
  const item = formItemOf(error, items, aliases)
  if (item && error instanceof ApiError) {
    errors[item] = error.message
    return item
  }
  notifyError(error)
  return null
}
