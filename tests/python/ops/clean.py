"""Vector ops for the `clean` area: each op is one call of the public Python API."""

from __future__ import annotations

from typing import Any, Callable

import leadcore

OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "normalize_phone": lambda c, i: leadcore.normalize_phone(i.get("raw")),
    "locate_phone": lambda c, i: leadcore.locate_phone(c, i.get("raw")),
    "normalize_email": lambda c, i: leadcore.normalize_email(i.get("raw"), c),
    "is_personal_email_domain": lambda c, i: leadcore.is_personal_email_domain(i.get("domain")),
    "normalize_company": lambda c, i: leadcore.normalize_company(i.get("raw"), c),
    "dedupe": lambda c, i: leadcore.dedupe(i.get("leads"), i.get("events"), c),
    "dedupe_keys": lambda c, i: leadcore.dedupe_keys(i.get("lead"), c),
    "dedupe_one": lambda c, i: leadcore.dedupe_one(i.get("lead"), i.get("candidates"), i.get("events"), c),
}
