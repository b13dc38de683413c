// The one module that talks to the server. Every call goes through `request`: same-origin
// fetch with the session cookie, JSON in and out, the CSRF token (from GET /api/v1/me →
// csrf_token) on every state-changing request, and the error envelope
// {"error":{"code","message","field","request_id"}} turned into an ApiError that is shown to
// the user (main.ts wires the notifier to ElMessage) unless the caller asks for quiet.

import type {
  AttachedMember,
  Attachment,
  CheckinDone,
  CheckinOverview,
  CheckinPreview,
  LeaveDone,
  MyMeeting,
  Board,
  CellLight,
  ChecklistClass,
  ChecklistItem,
  Committee,
  ErrorEnvelope,
  Finding,
  FindingPage,
  FindingStatus,
  ImportFormat,
  ImportJob,
  Me,
  Meeting,
  MeetingStatus,
  MeetingSummary,
  MeetingVocabulary,
  Member,
  MemberEvent,
  MemberSummary,
  Org,
  OrgHistoryItem,
  OrgStats,
  OrgSummary,
  Page,
  ProblemStats,
  ReviewQueueItem,
  DutyBoard,
  Rule,
  ScanReport,
  Setting,
  Severity,
  Transfer,
  TransferDirection,
  TransferStatus,
} from './types'

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field?: string
  readonly requestId?: string
  /** The article a refusal rests on, when the server names one (`中组发〔2008〕3号 第十二条`). */
  readonly rule?: string
  /** What the server sent beside the error, such as an import's row report (`report`). */
  readonly detail?: Record<string, unknown>

  constructor(
    status: number,
    code: string,
    message: string,
    field?: string,
    requestId?: string,
    rule?: string,
    detail?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.requestId = requestId
    this.rule = rule
    this.detail = detail
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  query?: Query
  /** Extra request headers (X-File-Name of an upload). */
  headers?: Record<string, string>
  /** A JSON body (objects) or a raw body (File/Blob/string, sent as is). */
  body?: unknown
  /** Content type of a raw body. */
  contentType?: string
  /** Do not show the error to the user (the caller handles it). */
  quiet?: boolean
  /** Return the response text instead of parsing JSON. */
  text?: boolean
}

interface Settings {
  baseUrl: string
  fetch: typeof fetch
  notify: (message: string, error: ApiError) => void
  onUnauthenticated: (error: ApiError) => void
}

const settings: Settings = {
  baseUrl: '',
  fetch: (...args) => globalThis.fetch(...args),
  notify: () => {},
  onUnauthenticated: () => {},
}

let csrfToken = ''

/** Sets where requests go and how errors are shown (main.ts; tests pass their own fetch). */
export function configureApi(overrides: Partial<Settings>): void {
  Object.assign(settings, overrides)
}

export function setCsrfToken(token: string): void {
  csrfToken = token
}

export function getCsrfToken(): string {
  return csrfToken
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** `api/v1/orgs` + {a: 1, b: undefined} → `api/v1/orgs?a=1` (relative to the page, see vite.config.ts). */
export function buildUrl(path: string, query?: Query): string {
  const relative = path.replace(/^\/+/, '')
  let url = settings.baseUrl ? settings.baseUrl.replace(/\/+$/, '') + '/' + relative : relative
  if (query) {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue
      params.append(key, String(value))
    }
    const text = params.toString()
    if (text) url += (url.includes('?') ? '&' : '?') + text
  }
  return url
}

function isRawBody(body: unknown): boolean {
  return (
    typeof body === 'string' ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body)
  )
}

/** The ApiError of a failed response, from the envelope when there is one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let envelope: Partial<ErrorEnvelope> | null = null
  try {
    envelope = (await response.json()) as Partial<ErrorEnvelope>
  } catch {
    envelope = null
  }
  const e = envelope?.error
  if (e && typeof e.code === 'string') {
    const { error: _error, ...detail } = envelope as ErrorEnvelope & Record<string, unknown>
    return new ApiError(
      response.status,
      e.code,
      e.message || e.code,
      e.field || undefined,
      e.request_id,
      e.rule || undefined,
      Object.keys(detail).length ? detail : undefined,
    )
  }
  const fallback =
    response.status >= 500
      ? `服务器错误（${response.status}），请稍后重试`
      : `请求失败（${response.status}）`
  return new ApiError(response.status, `http.${response.status}`, fallback)
}

/** The message shown to the user for an error: the server's message and its request id. */
export function describeError(error: ApiError): string {
  return error.requestId ? `${error.message}（请求编号 ${error.requestId}）` : error.message
}

/** Shows an error the caller asked to keep quiet after all (it could not place it on a form). */
export function notifyError(error: unknown): void {
  if (error instanceof ApiError) settings.notify(describeError(error), error)
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
  let body: BodyInit | undefined
  if (options.body !== undefined) {
    if (isRawBody(options.body)) {
      body = options.body as BodyInit
      headers['Content-Type'] = options.contentType ?? 'application/octet-stream'
    } else {
      body = JSON.stringify(options.body)
      headers['Content-Type'] = 'application/json'
    }
  }
  const upper = method.toUpperCase()
  if (UNSAFE.has(upper) && csrfToken) headers['X-CSRF-Token'] = csrfToken

  let response: Response
  try {
    response = await settings.fetch(buildUrl(path, options.query), {
      method: upper,
      headers,
      body,
      credentials: 'same-origin',
    })
  } catch {
    const error = new ApiError(0, 'network.unreachable', '无法连接服务器，请检查网络')
    if (!options.quiet) settings.notify(describeError(error), error)
    throw error
  }

  if (!response.ok) {
    const error = await errorFromResponse(response)
    if (error.status === 401 && error.code !== 'auth.login_failed' && error.code !== 'auth.totp_required') {
      settings.onUnauthenticated(error)
    }
    if (!options.quiet) settings.notify(describeError(error), error)
    throw error
  }
  if (options.text) return (await response.text()) as T
  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text ? JSON.parse(text) : undefined) as T
}

const get = <T>(path: string, query?: Query, quiet = false) => request<T>('GET', path, { query, quiet })
const post = <T>(path: string, body?: unknown, quiet = false) =>
  request<T>('POST', path, { body: body ?? {}, quiet })
const patch = <T>(path: string, body: unknown, quiet = false) => request<T>('PATCH', path, { body, quiet })
const put = <T>(path: string, body: unknown, quiet = false) => request<T>('PUT', path, { body, quiet })

export interface LoginInput {
  username: string
  password: string
  totp_code?: string
}

export interface MemberQuery {
  org?: number | string
  q?: string
  status?: string
  page?: number
  page_size?: number
}

export interface TransferInput {
  member_id: number
  to_org_id?: number
  external_org?: string
  date: string
  reason: string
}

export interface ChangeInput {
  date: string
  reason: string
}

/** A new member's fields as POST /api/v1/members takes them (without org_id and event_kind). */
export interface NewMemberFields {
  name: string
  id_number: string
  phone?: string
  ethnicity: string
  education: string
  degree?: string
  occupation?: string
  work_unit?: string
  household?: string
  address?: string
  category: string
  joined_on: string
  confirmed_on?: string
  work_started_on?: string
  hardship?: boolean
}

/** 登记系统外转入: the member arrives with a letter from outside and is created at once. */
export interface IncomingTransferInput {
  direction: 'incoming'
  to_org_id: number
  external_org: string
  letter_number?: string
  date?: string
  reason: string
  member: NewMemberFields
}

export interface TransferQuery {
  org?: number
  member?: number
  status?: TransferStatus | ''
  direction?: TransferDirection | ''
  page?: number
  page_size?: number
}

/** The fields PATCH /api/v1/members/{id} corrects (the console's 修改信息). */
export interface MemberCorrection {
  phone?: string
  education?: string
  degree?: string
  occupation?: string
  work_unit?: string
  household?: string
  address?: string
  category?: string
  hardship?: boolean
  reason?: string
}

export interface MobilityInput {
  away_since: string
  destination: string
  attached_org_id?: number | null
  reason?: string
}

/** The end of a mobility or of lost contact: both optional. */
export interface EndInput {
  date?: string
  reason?: string
}

export interface StepInput {
  note?: string
  date?: string
}

/** GET /api/v1/findings: the period defaults to the current month, the status to open and
 *  acknowledged (`all` includes the resolved ones). */
export interface FindingQuery {
  org?: number
  period?: string
  rule?: string
  severity?: Severity | ''
  status?: FindingStatus | 'all' | ''
  page?: number
  page_size?: number
}

/** GET /api/v1/meetings: newest first; `org` takes its whole subtree; dates are held_on bounds. */
export interface MeetingQuery {
  org?: number
  kind?: string
  status?: MeetingStatus | ''
  from?: string
  to?: string
  page?: number
  page_size?: number
}

export interface AttendanceInput {
  member_id?: number
  /** A committee position held outside the registry, named instead of a member id. */
  name?: string
  status: 'present' | 'leave' | 'absent'
  leave_reason?: string
}

export type VoteInput =
  | { resolution: string; method: 'open'; ballots: { member_id: number; choice: 'yes' | 'no' | 'abstain' }[] }
  | { resolution: string; method: 'secret'; voters: number[]; yes: number; no: number; abstain: number }

/** POST /api/v1/meetings and PATCH /api/v1/meetings/{id} (the organisation and the kind only on
 *  creation). A member host or recorder is named by id (0 clears it), anyone else by name. */
export interface MeetingInput {
  org_id?: number
  kind?: string
  topic?: string
  planned_start?: string
  planned_end?: string
  actual_start?: string
  actual_end?: string
  place?: string
  online?: boolean
  host_member_id?: number
  host_name?: string
  recorder_member_id?: number
  recorder_name?: string
  agenda?: string
  minutes?: string
  resolutions?: string
  attendance?: AttendanceInput[]
  guests?: { name: string; unit: string }[]
  votes?: VoteInput[]
}

export interface ReviewInput {
  decision: 'accept' | 'return'
  /** Items of the review checklist found, with a note each. */
  problems?: { item_id: number; note?: string }[]
  /** Problems in words (counted under 其他). */
  reasons?: string[]
}

export interface ReviewQueueQuery {
  org?: number
  kind?: string
  page?: number
  page_size?: number
}

export interface BoardQuery {
  org?: number
  /** `2026-11`, `2026-Q3` or `2026`. */
  period?: string
  light?: CellLight | ''
  duty?: string
  sort?: 'path' | 'worst'
  page?: number
  page_size?: number
}

/** Every route the console uses, by area. */
export const api = {
  auth: {
    login: (input: LoginInput) =>
      request<{ account: Me }>('POST', 'api/v1/auth/login', { body: input, quiet: true }),
    logout: () => post<{ logged_out: boolean }>('api/v1/auth/logout'),
    me: () => get<Me>('api/v1/me', undefined, true),
    changePassword: (current_password: string, new_password: string) =>
      request<{ changed: boolean }>('POST', 'api/v1/me/password', {
        body: { current_password, new_password },
        quiet: true,
      }),
    beginTotp: () => post<{ secret: string; otpauth_uri: string }>('api/v1/me/totp/enrol'),
    confirmTotp: (code: string) =>
      request<{ enabled: boolean }>('POST', 'api/v1/me/totp/confirm', { body: { code }, quiet: true }),
  },
  orgs: {
    roots: () => get<{ items: OrgSummary[] }>('api/v1/orgs/roots'),
    children: (id: number) => get<{ items: OrgSummary[] }>(`api/v1/orgs/${id}/children`),
    get: (id: number, quiet = false) => get<Org>(`api/v1/orgs/${id}`, undefined, quiet),
    committees: (id: number) => get<{ items: Committee[] }>(`api/v1/orgs/${id}/committees`),
    history: (id: number) => get<{ items: OrgHistoryItem[] }>(`api/v1/orgs/${id}/history`),
    stats: (id: number, asOf?: string) => get<OrgStats>(`api/v1/orgs/${id}/stats`, { as_of: asOf }),
    update: (id: number, fields: Partial<Pick<Org, 'name' | 'domain' | 'address' | 'approval_document' | 'units'>>) =>
      patch<Org>(`api/v1/orgs/${id}`, fields),
    move: (id: number, parent_id: number, change: ChangeInput) =>
      post<Org>(`api/v1/orgs/${id}/move`, { parent_id, ...change }),
    merge: (id: number, into_id: number, change: ChangeInput) =>
      post<Org>(`api/v1/orgs/${id}/merge`, { into_id, ...change }),
    dissolve: (id: number, change: ChangeInput) => post<Org>(`api/v1/orgs/${id}/dissolve`, change),
    attachedMembers: (id: number) => get<{ items: AttachedMember[] }>(`api/v1/orgs/${id}/attached-members`),
  },
  members: {
    list: (query: MemberQuery, quiet = false) => get<Page<MemberSummary>>('api/v1/members', query as Query, quiet),
    get: (id: number) => get<Member>(`api/v1/members/${id}`),
    events: (id: number) => get<{ items: MemberEvent[] }>(`api/v1/members/${id}/events`),
    unmask: (id: number, reason: string) =>
      post<{ id_number: string; phone: string }>(`api/v1/members/${id}/unmask`, { reason }),
    exportUrl: (org: number, format: ImportFormat) => buildUrl('api/v1/members/export', { org, format }),
    update: (id: number, fields: MemberCorrection, quiet = false) => patch<Member>(`api/v1/members/${id}`, fields, quiet),
    mobility: (id: number, input: MobilityInput, quiet = false) =>
      post<Member>(`api/v1/members/${id}/mobility`, withoutEmpty(input), quiet),
    endMobility: (id: number, input: EndInput = {}, quiet = false) =>
      post<Member>(`api/v1/members/${id}/mobility/end`, withoutEmpty(input), quiet),
    lostContact: (id: number, since: string, reason: string, quiet = false) =>
      post<Member>(`api/v1/members/${id}/lost-contact`, { since, reason }, quiet),
    endLostContact: (id: number, input: EndInput = {}, quiet = false) =>
      post<Member>(`api/v1/members/${id}/lost-contact/end`, withoutEmpty(input), quiet),
  },
  transfers: {
    list: (query: TransferQuery = {}, quiet = false) => get<Page<Transfer>>('api/v1/transfers', query as Query, quiet),
    get: (id: number) => get<Transfer>(`api/v1/transfers/${id}`),
    create: (input: TransferInput | IncomingTransferInput, quiet = false) => post<Transfer>('api/v1/transfers', input, quiet),
    act: (id: number, action: 'approve' | 'receive' | 'reject' | 'cancel', step: StepInput | string = {}, quiet = false) =>
      post<Transfer>(`api/v1/transfers/${id}/${action}`, withoutEmpty(typeof step === 'string' ? { note: step } : step), quiet),
    letterUrl: (id: number) => buildUrl(`api/v1/transfers/${id}/letter`),
  },
  findings: {
    list: (query: FindingQuery = {}, quiet = false) => get<FindingPage>('api/v1/findings', query as Query, quiet),
    board: (org?: number, period?: string, quiet = false) => get<Board>('api/v1/findings/board', { org, period }, quiet),
    acknowledge: (id: number, note: string, quiet = false) =>
      post<Finding>(`api/v1/findings/${id}/acknowledge`, { note: note.trim() }, quiet),
    /** Rescans the organisation's subtree for the current month (who may acknowledge may rescan). */
    scan: (org_id: number) => post<ScanReport>('api/v1/findings/scan', { org_id }),
  },
  rules: {
    list: () => get<{ items: Rule[] }>('api/v1/rules'),
  },
  meetings: {
    vocabulary: () => get<MeetingVocabulary>('api/v1/meetings/vocabulary'),
    list: (query: MeetingQuery = {}, quiet = false) => get<Page<MeetingSummary>>('api/v1/meetings', query as Query, quiet),
    get: (id: number, quiet = false) => get<Meeting>(`api/v1/meetings/${id}`, undefined, quiet),
    create: (input: MeetingInput, quiet = false) => post<Meeting>('api/v1/meetings', input, quiet),
    update: (id: number, input: MeetingInput, quiet = false) => patch<Meeting>(`api/v1/meetings/${id}`, input, quiet),
    submit: (id: number, quiet = false) => post<Meeting>(`api/v1/meetings/${id}/submit`, {}, quiet),
    withdraw: (id: number, reason: string, quiet = false) =>
      post<Meeting>(`api/v1/meetings/${id}/withdraw`, { reason: reason.trim() }, quiet),
    review: (id: number, input: ReviewInput, quiet = false) => post<Meeting>(`api/v1/meetings/${id}/review`, input, quiet),
    archive: (id: number, quiet = false) => post<Meeting>(`api/v1/meetings/${id}/archive`, {}, quiet),
    /** A new draft copying an accepted or archived record, linked to it (one open at a time). */
    correct: (id: number, reason: string, quiet = false) =>
      post<Meeting>(`api/v1/meetings/${id}/corrections`, { reason: reason.trim() }, quiet),
    checklist: (quiet = false, retired = false) =>
      get<{ classes: ChecklistClass[] }>('api/v1/meetings/checklist', retired ? { retired: true } : undefined, quiet),
    /** A new item, last in its class; `class` is a class's id, or the title of a new class. */
    addChecklistItem: (input: { class: number | string; title: string; source?: string }, quiet = false) =>
      post<ChecklistItem & { class_id: number; class: string }>('api/v1/meetings/checklist/items', input, quiet),
    /** Retires an item: no longer offered; the problems recorded under it keep it. */
    retireChecklistItem: (id: number, reason: string, quiet = false) =>
      post<ChecklistItem>(`api/v1/meetings/checklist/items/${id}/retire`, { reason: reason.trim() }, quiet),
    reviewQueue: (query: ReviewQueueQuery = {}, quiet = false) =>
      get<Page<ReviewQueueItem>>('api/v1/meetings/review-queue', query as Query, quiet),
    problemStats: (query: { org?: number; from?: string; to?: string }, quiet = false) =>
      get<ProblemStats>('api/v1/meetings/problems/stats', query as Query, quiet),
    board: (query: BoardQuery, quiet = false) => get<DutyBoard>('api/v1/meetings/board', query as Query, quiet),
    /** The QR code's address and window (issues the token on first call for an open record). */
    checkin: (id: number, quiet = false) => get<CheckinOverview>(`api/v1/meetings/${id}/checkin`, undefined, quiet),
    checkinQrUrl: (id: number, version = 0) => buildUrl(`api/v1/meetings/${id}/checkin-qr`, version ? { v: version } : undefined),
    /** A new token: the QR code shown so far stops working. */
    rotateCheckin: (id: number) => post<CheckinOverview>(`api/v1/meetings/${id}/checkin/rotate`),
    /** 党员: the coming meetings where the caller's member has a place (soonest first). */
    mine: (quiet = false) => get<{ items: MyMeeting[] }>('api/v1/meetings/mine', undefined, quiet),
    /** 党员: asks for leave with a reason before the leave closes. */
    leave: (id: number, reason: string, quiet = false) => post<LeaveDone>(`api/v1/meetings/${id}/leave`, { reason: reason.trim() }, quiet),
    attachments: (id: number) => get<{ items: Attachment[] }>(`api/v1/meetings/${id}/attachments`),
    attachmentUrl: (id: number, aid: number) => buildUrl(`api/v1/meetings/${id}/attachments/${aid}`),
    /** The file as the body, its type in Content-Type and its name percent-encoded in X-File-Name. */
    attach: (id: number, file: File, quiet = false) =>
      request<Attachment>('POST', `api/v1/meetings/${id}/attachments`, {
        body: file,
        contentType: file.type || 'application/octet-stream',
        headers: { 'X-File-Name': encodeURIComponent(file.name) },
        quiet,
      }),
    withdrawAttachment: (id: number, aid: number, reason: string, quiet = false) =>
      post<Attachment>(`api/v1/meetings/${id}/attachments/${aid}/withdraw`, { reason: reason.trim() }, quiet),
  },
  /** The member's side of a QR check-in (orglife.checkin and an account linked to a member). */
  checkin: {
    preview: (token: string, quiet = false) => get<CheckinPreview>('api/v1/checkin', { t: token }, quiet),
    checkIn: (token: string, quiet = false) => post<CheckinDone>('api/v1/checkin', { token }, quiet),
  },
  settings: {
    list: () => get<{ items: Setting[] }>('api/v1/settings'),
    update: (key: string, value: number, quiet = false) =>
      put<Setting>(`api/v1/settings/${encodeURIComponent(key)}`, { value }, quiet),
  },
  imports: {
    templateUrl: (format: 'csv' | 'xlsx') => buildUrl('api/v1/imports/template', { format }),
    start: (file: Blob, format: ImportFormat) =>
      request<{ id: number | string; status: string }>('POST', 'api/v1/imports', {
        query: { format },
        body: file,
        contentType: IMPORT_CONTENT_TYPES[format],
      }),
    get: (id: number | string) => get<ImportJob>(`api/v1/imports/${id}`),
  },
}

/** A body without the optional fields left empty (undefined, null or blank text). */
export function withoutEmpty<T extends object>(body: T): Partial<T> {
  const out: Partial<T> = {}
  for (const [key, value] of Object.entries(body) as [keyof T, T[keyof T]][]) {
    if (value === undefined || value === null) continue
    if (typeof value === 'string' && value.trim() === '') continue
    out[key] = typeof value === 'string' ? (value.trim() as T[keyof T]) : value
  }
  return out
}

export const IMPORT_CONTENT_TYPES: Record<ImportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/jsonl; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** The import format of a file name, or null when the console does not take it. */
export function importFormatOf(fileName: string): ImportFormat | null {
  const match = /\.([a-z0-9]+)$/i.exec(fileName.trim())
  const ext = match?.[1]?.toLowerCase()
  if (ext === 'csv') return 'csv'
  if (ext === 'xlsx') return 'xlsx'
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl'
  return null
}
