// The 组织生活 vocabulary (GET /api/v1/meetings/vocabulary: the kinds of record and who holds
// them, the statuses and attendance titles), loaded once per page load and shared by the pages.

import { reactive } from 'vue'
import { api } from './api'
import type { MeetingKindInfo, MeetingVocabulary } from './types'

export const meetingVocabulary = reactive({
  loaded: false,
  kinds: [] as MeetingKindInfo[],
})

let loading: Promise<MeetingVocabulary | null> | null = null

/** Loads the vocabulary once; a failure is shown by the API client and tried again next time. */
export function loadMeetingVocabulary(): Promise<MeetingVocabulary | null> {
  loading ??= api.meetings.vocabulary().then(
    (v) => {
      meetingVocabulary.kinds = v.kinds
      meetingVocabulary.loaded = true
      return v
    },
    () => {
      loading = null
      return null
    },
  )
  return loading
}

/** The kinds an organisation of `orgKind` holds (all of them when the kind is not known yet). */
export function kindsFor(orgKind: string | null | undefined): MeetingKindInfo[] {
  return orgKind ? meetingVocabulary.kinds.filter((k) => k.org_kinds.includes(orgKind)) : meetingVocabulary.kinds
}

export function kindTitle(kind: string): string {
  return meetingVocabulary.kinds.find((k) => k.id === kind)?.title ?? kind
}
