import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, api, buildUrl, configureApi, describeError, errorFromResponse, importFormatOf, request, setCsrfToken, withoutEmpty } from './api'

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

describe('buildUrl', () => {
  beforeEach(() => configureApi({ baseUrl: '' }))

  it('keeps paths relative to the page so the console works under any prefix', () => {
    expect(buildUrl('/api/v1/me')).toBe('api/v1/me')
    expect(buildUrl('api/v1/me')).toBe('api/v1/me')
  })

  it('drops empty query values and encodes the rest', () => {
    expect(buildUrl('api/v1/members', { q: '张 三', status: '', org: 7, page: undefined, x: null })).toBe(
      'api/v1/members?q=%E5%BC%A0+%E4%B8%89&org=7',
    )
  })

  it('joins a base URL', () => {
    configureApi({ baseUrl: 'http://127.0.0.1:8080/' })
    expect(buildUrl('/api/v1/orgs/roots')).toBe('http://127.0.0.1:8080/api/v1/orgs/roots')
  })
})

describe('request', () => {
  const fetchMock = vi.fn()
  const notify = vi.fn()
  const onUnauthenticated = vi.fn()

  beforeEach(() => {
    fetchMock.mockReset()
    notify.mockReset()
    onUnauthenticated.mockReset()
    configureApi({ baseUrl: '', fetch: fetchMock as unknown as typeof fetch, notify, onUnauthenticated })
    setCsrfToken('csrf-123')
  })

  afterEach(() => setCsrfToken(''))

  it('sends the session cookie and no CSRF header on GET', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { items: [] }))
    await expect(api.orgs.roots()).resolves.toEqual({ items: [] })
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('api/v1/orgs/roots')
    expect(init.method).toBe('GET')
    expect(init.credentials).toBe('same-origin')
    expect(init.headers['X-CSRF-Token']).toBeUndefined()
    expect(init.body).toBeUndefined()
  })

  it('sends JSON and the CSRF token on POST and PATCH', async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: 9 }))
    await api.transfers.create({ member_id: 3, to_org_id: 12, date: '2025-03-01', reason: '工作调动' })
    let [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('api/v1/transfers')
    expect(init.method).toBe('POST')
    expect(init.headers['X-CSRF-Token']).toBe('csrf-123')
    expect(init.headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(init.body)).toEqual({ member_id: 3, to_org_id: 12, date: '2025-03-01', reason: '工作调动' })

    fetchMock.mockResolvedValue(jsonResponse(200, { id: 4 }))
    await api.orgs.update(4, { name: '新名称' })
    ;[url, init] = fetchMock.mock.calls[1]
    expect(url).toBe('api/v1/orgs/4')
    expect(init.method).toBe('PATCH')
    expect(init.headers['X-CSRF-Token']).toBe('csrf-123')
  })

  it('posts an empty object for actions without a note', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { id: 5, status: 'approved' }))
    await api.transfers.act(5, 'approve')
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('api/v1/transfers/5/approve')
    expect(init.body).toBe('{}')
  })

  it('sends a step with its date and note, and leaves out empty ones', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { id: 5, status: 'rejected' }))
    await api.transfers.act(5, 'reject', { note: ' 材料不全 ', date: '2026-03-02' })
    await api.transfers.act(5, 'cancel', { note: '', date: '2026-03-02' })
    expect(JSON.parse(fetchMock.mock.calls[0][1].body)).toEqual({ note: '材料不全', date: '2026-03-02' })
    expect(JSON.parse(fetchMock.mock.calls[1][1].body)).toEqual({ date: '2026-03-02' })
    expect(fetchMock.mock.calls[1][0]).toBe('api/v1/transfers/5/cancel')
  })

  it('registers an incoming transfer with the member inside', async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: 7, status: 'received' }))
    const member = { name: '李四', id_number: '11010519491231002X', ethnicity: '汉族', education: 'bachelor', category: 'rural', joined_on: '2010-07-01' }
    await api.transfers.create({ direction: 'incoming', to_org_id: 3, external_org: '外县党委', reason: '回原籍', member }, true)
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('api/v1/transfers')
    expect(JSON.parse(init.body)).toEqual({ direction: 'incoming', to_org_id: 3, external_org: '外县党委', reason: '回原籍', member })
  })

  it('keeps quiet when a dialog places the error itself', async () => {
    fetchMock.mockResolvedValue(jsonResponse(400, { error: { code: 'member.phone_invalid', message: '手机号码应为 1 开头的 11 位数字', field: 'phone' } }))
    await expect(api.members.update(4, { phone: '123' }, true)).rejects.toMatchObject({ field: 'phone' })
    expect(notify).not.toHaveBeenCalled()
    expect(fetchMock.mock.calls[0][1].method).toBe('PATCH')
  })

  it('uses the mobility, lost-contact, attached-members and settings routes', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { items: [] }))
    await api.members.mobility(4, { away_since: '2026-01-05', destination: '深圳', attached_org_id: null, reason: '' })
    await api.members.endMobility(4, { date: '2026-02-01' })
    await api.members.lostContact(4, '2026-01-01', '电话停机')
    await api.members.endLostContact(4)
    await api.orgs.attachedMembers(9)
    await api.settings.list()
    await api.settings.update('member.transfer_letter_validity_days', 30)
    const calls = fetchMock.mock.calls.map(([url, init]) => [init.method, url, init.body && JSON.parse(init.body)])
    expect(calls).toEqual([
      ['POST', 'api/v1/members/4/mobility', { away_since: '2026-01-05', destination: '深圳' }],
      ['POST', 'api/v1/members/4/mobility/end', { date: '2026-02-01' }],
      ['POST', 'api/v1/members/4/lost-contact', { since: '2026-01-01', reason: '电话停机' }],
      ['POST', 'api/v1/members/4/lost-contact/end', {}],
      ['GET', 'api/v1/orgs/9/attached-members', undefined],
      ['GET', 'api/v1/settings', undefined],
      ['PUT', 'api/v1/settings/member.transfer_letter_validity_days', { value: 30 }],
    ])
  })

  it('uses the organisational-life routes', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { items: [] }))
    await api.meetings.list({ org: 31, kind: 'theme_day', status: '', from: '2026-11-01', to: '2026-11-30', page_size: 200 })
    await api.meetings.update(7, { topic: '学习', attendance: [{ member_id: 2, status: 'leave', leave_reason: '出差' }] })
    await api.meetings.submit(7)
    await api.meetings.withdraw(7, ' 会议改期 ')
    await api.meetings.review(7, { decision: 'return', problems: [{ item_id: 3, note: '缺议程' }] })
    await api.meetings.correct(7, '出席登记有误')
    await api.meetings.reviewQueue({ org: 5, kind: '', page: 2, page_size: 20 })
    await api.meetings.problemStats({ org: 5, from: '2026-01', to: '2026-11' })
    await api.meetings.board({ org: 5, period: '2026-Q4', light: 'red', duty: 'theme_day', sort: 'worst', page: 1, page_size: 50 })
    await api.meetings.rotateCheckin(7)
    await api.meetings.leave(7, ' 外出务工 ')
    await api.checkin.preview('tok_-9')
    await api.checkin.checkIn('tok_-9')
    const calls = fetchMock.mock.calls.map(([url, init]) => [init.method, url, init.body && JSON.parse(init.body)])
    expect(calls).toEqual([
      ['GET', 'api/v1/meetings?org=31&kind=theme_day&from=2026-11-01&to=2026-11-30&page_size=200', undefined],
      ['PATCH', 'api/v1/meetings/7', { topic: '学习', attendance: [{ member_id: 2, status: 'leave', leave_reason: '出差' }] }],
      ['POST', 'api/v1/meetings/7/submit', {}],
      ['POST', 'api/v1/meetings/7/withdraw', { reason: '会议改期' }],
      ['POST', 'api/v1/meetings/7/review', { decision: 'return', problems: [{ item_id: 3, note: '缺议程' }] }],
      ['POST', 'api/v1/meetings/7/corrections', { reason: '出席登记有误' }],
      ['GET', 'api/v1/meetings/review-queue?org=5&page=2&page_size=20', undefined],
      ['GET', 'api/v1/meetings/problems/stats?org=5&from=2026-01&to=2026-11', undefined],
      ['GET', 'api/v1/meetings/board?org=5&period=2026-Q4&light=red&duty=theme_day&sort=worst&page=1&page_size=50', undefined],
      ['POST', 'api/v1/meetings/7/checkin/rotate', {}],
      ['POST', 'api/v1/meetings/7/leave', { reason: '外出务工' }],
      ['GET', 'api/v1/checkin?t=tok_-9', undefined],
      ['POST', 'api/v1/checkin', { token: 'tok_-9' }],
    ])
    expect(api.meetings.checkinQrUrl(7, 3)).toBe('api/v1/meetings/7/checkin-qr?v=3')
    expect(api.meetings.attachmentUrl(7, 2)).toBe('api/v1/meetings/7/attachments/2')
  })

  it('uploads an attachment as the raw body with its type and its name percent-encoded', async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: 1 }))
    const file = new File([new Uint8Array([0xff, 0xd8, 0xff])], '会议照片 1.jpg', { type: 'image/jpeg' })
    await api.meetings.attach(7, file)
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('api/v1/meetings/7/attachments')
    expect(init.method).toBe('POST')
    expect(init.body).toBe(file)
    expect(init.headers['Content-Type']).toBe('image/jpeg')
    expect(init.headers['X-File-Name']).toBe('%E4%BC%9A%E8%AE%AE%E7%85%A7%E7%89%87%201.jpg')
    expect(init.headers['X-CSRF-Token']).toBe('csrf-123')
  })

  it('uses the rules, findings, board, acknowledge and scan routes', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { items: [] }))
    await api.rules.list()
    await api.findings.list({ org: 3, period: '2026-11', rule: 'org.branch.over_fifty', severity: '', status: 'open', page: 2, page_size: 20 })
    await api.findings.board()
    await api.findings.board(3, '2026-10')
    await api.findings.acknowledge(12, '  已安排下月换届  ')
    await api.findings.scan(3)
    const calls = fetchMock.mock.calls.map(([url, init]) => [init.method, url, init.body && JSON.parse(init.body)])
    expect(calls).toEqual([
      ['GET', 'api/v1/rules', undefined],
      ['GET', 'api/v1/findings?org=3&period=2026-11&rule=org.branch.over_fifty&status=open&page=2&page_size=20', undefined],
      ['GET', 'api/v1/findings/board', undefined],
      ['GET', 'api/v1/findings/board?org=3&period=2026-10', undefined],
      ['POST', 'api/v1/findings/12/acknowledge', { note: '已安排下月换届' }],
      ['POST', 'api/v1/findings/scan', { org_id: 3 }],
    ])
    expect(fetchMock.mock.calls[4][1].headers['X-CSRF-Token']).toBe('csrf-123')
  })

  it('uploads an import file raw with its content type and the format in the query', async () => {
    fetchMock.mockResolvedValue(jsonResponse(202, { id: 1, status: 'running' }))
    const file = new Blob(['姓名,身份证号\n'], { type: 'text/csv' })
    await api.imports.start(file, 'csv')
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('api/v1/imports?format=csv')
    expect(init.body).toBe(file)
    expect(init.headers['Content-Type']).toBe('text/csv; charset=utf-8')
    expect(init.headers['X-CSRF-Token']).toBe('csrf-123')
  })

  it('turns the error envelope into an ApiError and shows it', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(422, { error: { code: 'transfer.not_branch', message: '只能转往党支部', field: 'to_org_id', request_id: 'r-1' } }),
    )
    const error = await api.transfers.create({ member_id: 1, to_org_id: 2, date: '2025-01-01', reason: 'x' }).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 422, code: 'transfer.not_branch', message: '只能转往党支部', field: 'to_org_id', requestId: 'r-1' })
    expect(notify).toHaveBeenCalledWith('只能转往党支部（请求编号 r-1）', error)
    expect(onUnauthenticated).not.toHaveBeenCalled()
  })

  it('stays quiet when asked and reports an expired session', async () => {
    fetchMock.mockResolvedValue(jsonResponse(401, { error: { code: 'auth.unauthenticated', message: '请先登录', request_id: 'r-2' } }))
    await expect(api.auth.me()).rejects.toMatchObject({ status: 401, code: 'auth.unauthenticated' })
    expect(notify).not.toHaveBeenCalled()
    expect(onUnauthenticated).toHaveBeenCalledTimes(1)
  })

  it('does not treat a wrong password or a missing second factor as an expired session', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(401, { error: { code: 'auth.totp_required', message: '请输入身份验证器中的 6 位动态口令', field: 'totp_code' } }),
    )
    const error = (await api.auth.login({ username: 'a', password: 'b' }).catch((e) => e)) as ApiError
    expect(error.code).toBe('auth.totp_required')
    expect(onUnauthenticated).not.toHaveBeenCalled()
    expect(notify).not.toHaveBeenCalled()
  })

  it('copes with an answer that is not the envelope', async () => {
    fetchMock.mockResolvedValue(new Response('<html>Bad gateway</html>', { status: 502 }))
    const error = (await request('GET', 'api/v1/orgs/roots').catch((e) => e)) as ApiError
    expect(error).toMatchObject({ status: 502, code: 'http.502' })
    expect(error.message).toContain('服务器错误')
    expect(notify).toHaveBeenCalledTimes(1)
  })

  it('reports a network failure', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    const error = await request('GET', 'api/v1/orgs/roots').catch((e) => e)
    expect(error).toMatchObject({ status: 0, code: 'network.unreachable' })
    expect(notify).toHaveBeenCalledWith('无法连接服务器，请检查网络', error)
  })

  it('passes member search parameters through', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { items: [], total: 0, page: 2, page_size: 20 }))
    await api.members.list({ org: 4, q: 'zs', status: 'full', page: 2, page_size: 20 })
    expect(fetchMock.mock.calls[0][0]).toBe('api/v1/members?org=4&q=zs&status=full&page=2&page_size=20')
  })

  it('reads text answers when asked', async () => {
    fetchMock.mockResolvedValue(new Response('<html>介绍信</html>', { status: 200 }))
    await expect(request<string>('GET', 'api/v1/transfers/1/letter', { text: true })).resolves.toBe('<html>介绍信</html>')
  })
})

describe('errors and helpers', () => {
  it('describes an error without a request id by its message alone', () => {
    expect(describeError(new ApiError(400, 'x', '参数错误'))).toBe('参数错误')
  })

  it('parses an envelope without a message by its code', async () => {
    const error = await errorFromResponse(jsonResponse(404, { error: { code: 'org.not_found' } }))
    expect(error.message).toBe('org.not_found')
  })

  it('knows the import formats by file name', () => {
    expect(importFormatOf('党员花名册.XLSX')).toBe('xlsx')
    expect(importFormatOf('members.csv')).toBe('csv')
    expect(importFormatOf('all.jsonl')).toBe('jsonl')
    expect(importFormatOf('all.ndjson')).toBe('jsonl')
    expect(importFormatOf('名册.xls')).toBeNull()
    expect(importFormatOf('README')).toBeNull()
  })

  it('builds download links for the letter, template and export', () => {
    configureApi({ baseUrl: '' })
    expect(api.transfers.letterUrl(12)).toBe('api/v1/transfers/12/letter')
    expect(api.imports.templateUrl('xlsx')).toBe('api/v1/imports/template?format=xlsx')
    expect(api.members.exportUrl(3, 'csv')).toBe('api/v1/members/export?org=3&format=csv')
  })
})

describe('withoutEmpty', () => {
  it('drops missing and blank values, trims text, keeps false and zero', () => {
    expect(withoutEmpty({ a: ' x ', b: '', c: '  ', d: null, e: undefined, f: false, g: 0 })).toEqual({ a: 'x', f: false, g: 0 })
  })
})
