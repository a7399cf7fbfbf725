// Vector ops for the `clean` area: each op is one call of the public Node API.
import { leadcore as lc } from '../support.mjs'

export const OPS = {
  normalize_phone: (c, i) => lc.normalizePhone(i.raw),
  locate_phone: (c, i) => lc.locatePhone(c, i.raw),
  normalize_email: (c, i) => lc.normalizeEmail(i.raw, c),
  is_personal_email_domain: (c, i) => lc.isPersonalEmailDomain(i.domain),
  normalize_company: (c, i) => lc.normalizeCompany(i.raw, c),
  dedupe: (c, i) => lc.dedupe(i.leads, i.events, c),
  dedupe_keys: (c, i) => lc.dedupeKeys(i.lead, c),
  dedupe_one: (c, i) => lc.dedupeOne(i.lead, i.candidates, i.events, c),
}
