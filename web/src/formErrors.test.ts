import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, configureApi } from './api'
import { clearFieldErrors, formItemOf, placeServerError } from './formErrors'

const fieldError = (field?: string, message = '错误') => new ApiError(400, 'x.invalid', message, field, 'r-1')

describe('server errors on form items', () => {
  const notify = vi.fn()
  configureApi({ notify })
  afterEach(() => notify.mockReset())

  it('finds the form item a field names, through aliases', () => {
    const items = ['to_org_id', 'date', 'member.id_number', 'member.phone']
    expect(formItemOf(fieldError('member.phone'), items)).toBe('member.phone')
    expect(formItemOf(fieldError('id_number'), items, { id_number: 'member.id_number' })).toBe('member.id_number')
    expect(formItemOf(fieldError('member.org_id'), items, { 'member.org_id': 'to_org_id' })).toBe('to_org_id')
    expect(formItemOf(fieldError('status'), items)).toBeNull()
    expect(formItemOf(fieldError(undefined), items)).toBeNull()
    expect(formItemOf(new Error('network'), items)).toBeNull()
  })

  it('puts the message under the item, without the toast', () => {
    const errors: Record<string, string> = {}
    const error = fieldError('member.id_number', '身份证号码校验位不正确')
    expect(placeServerError(error, errors, ['member.id_number'])).toBe('member.id_number')
    expect(errors['member.id_number']).toBe('身份证号码校验位不正确')
    expect(notify).not.toHaveBeenCalled()
  })

  it('shows an error of no item the usual way', () => {
    const errors: Record<string, string> = {}
    const error = new ApiError(403, 'transfer.wrong_side', '只有转出方的基层党委才能审批并开具介绍信', undefined, 'r-9')
    expect(placeServerError(error, errors, ['date', 'note'])).toBeNull()
    expect(errors).toEqual({})
    expect(notify).toHaveBeenCalledWith('只有转出方的基层党委才能审批并开具介绍信（请求编号 r-9）', error)
  })

  it('clears the messages before a new submission', () => {
    const errors: Record<string, string> = { date: '日期不能晚于今天', note: '' }
    clearFieldErrors(errors)
    expect(errors).toEqual({ date: '', note: '' })
  })
})
