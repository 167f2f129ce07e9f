"""What the patient reads when an answer points to an emergency, in the form's language: one place per language.

The message is the opening, the advice of each emergency that fired (in flag order), and a closing sentence naming
the clinic's emergency number when the clinic configured one ("call 999"), else "your local emergency number".
Plain language, short sentences, no clinical terms: the patient reads this on the confirmation page.

The English texts are the catalog's own. The Spanish (es) and Chinese (zh-Hans) texts are translations of them that
NO CLINICIAN HAS REVIEWED YET (`REVIEW_PENDING`); docs/rules.md says so next to them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from screening.contract.intake import Locale

AdviceKey = Literal["cauda_equina", "worsening_weakness", "spinal_infection"]
"""The emergencies marked ⚑ in the catalog, each with its advice in every language."""

NUMBER = "{number}"
EMERGENCY_NUMBER = re.compile(r"\+?[0-9](?:[0-9 -]{0,18}[0-9])?")
"""A phone number as a clinic writes it in its settings: digits, optional leading +, spaces or hyphens inside."""


@dataclass(frozen=True, slots=True)
class Messages:
    """Every sentence of the patient advice in one language."""

    opening: str
    emergencies: dict[AdviceKey, str]
    closing_call: str
    """The closing sentence with the clinic's number in place of `{number}`."""
    closing_local: str
    """The closing sentence when the clinic gave no number."""


MESSAGES: dict[Locale, Messages] = {
    "en": Messages(
        opening="Please do not wait for your appointment.",
        emergencies={
            "cauda_equina": "Numbness between your legs or around your bottom, or new trouble with your bladder or "
            "bowels, can mean the nerves at the bottom of your spine are being squeezed. Please go to a hospital "
            "emergency department today.",
            "worsening_weakness": "Leg weakness that is getting worse needs to be checked by a doctor today. Please "
            "contact your doctor or an urgent care service today.",
            "spinal_infection": "Feeling feverish or unwell together with back pain can be a sign of an infection "
            "that needs treatment quickly. Please contact your doctor or an urgent care service today.",
        },
        closing_call="If you feel very unwell or it gets worse quickly, call {number}.",
        closing_local="If you feel very unwell or it gets worse quickly, call your local emergency number.",
    ),
    "es": Messages(
        opening="Por favor, no espere a su cita.",
        emergencies={
            "cauda_equina": "Ha indicado adormecimiento entre las piernas o alrededor de las nalgas, o problemas "
            "nuevos para orinar o hacer de vientre. Esto puede significar que los nervios de la parte baja de la "
            "columna están apretados. Vaya hoy mismo a urgencias de un hospital.",
            "worsening_weakness": "Si la debilidad en las piernas va a peor, un médico debe verla hoy. Llame hoy a "
            "su médico o a un servicio de urgencias.",
            "spinal_infection": "Tener fiebre o sentirse mal junto con dolor de espalda puede ser señal de una "
            "infección que necesita tratamiento rápido. Llame hoy a su médico o a un servicio de urgencias.",
        },
        closing_call="Si se siente muy mal o empeora rápidamente, llame al {number}.",
        closing_local="Si se siente muy mal o empeora rápidamente, llame al número de emergencias de su zona.",
    ),
    "zh-Hans": Messages(
        opening="请不要等到预约时间再就医。",
        emergencies={
            "cauda_equina": "两腿之间或臀部周围发麻，或者新出现排尿或排便问题，可能表示脊柱底部的神经受到压迫。"
            "请今天就去医院急诊科。",
            "worsening_weakness": "腿部无力越来越严重，需要今天请医生检查。请今天联系您的医生或急诊服务。",
            "spinal_infection": "背痛的同时发烧或感到不适，可能是感染的迹象，需要尽快治疗。"
            "请今天联系您的医生或急诊服务。",
        },
        closing_call="如果您感觉非常不舒服或情况迅速加重，请拨打 {number}。",
        closing_local="如果您感觉非常不舒服或情况迅速加重，请拨打当地的急救电话。",
    ),
}

REVIEW_PENDING: frozenset[Locale] = frozenset({"es", "zh-Hans"})
"""Languages whose texts no clinician has reviewed yet."""

_SEPARATOR: dict[Locale, str] = {"en": " ", "es": " ", "zh-Hans": ""}
"""Chinese sentences follow each other without a space."""


def patient_advice(keys: Sequence[AdviceKey], locale: Locale, emergency_number: str | None = None) -> str | None:
    """One message from the emergencies that fired, in `locale`; None when none fired.

    `emergency_number` comes from the clinic's settings, never from the form; a value that is not a phone number
    is a configuration error and raises ValueError rather than reaching a patient.
    """
    if emergency_number is not None and not EMERGENCY_NUMBER.fullmatch(emergency_number):
        raise ValueError("emergency_number must be a phone number: digits, an optional leading +, spaces, hyphens")
    if not keys:
        return None
    messages = MESSAGES[locale]
    closing = (
        messages.closing_local if emergency_number is None else messages.closing_call.replace(NUMBER, emergency_number)
    )
    return _SEPARATOR[locale].join((messages.opening, *(messages.emergencies[key] for key in keys), closing))
