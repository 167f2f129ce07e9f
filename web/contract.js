// Generated from docs/schema/intake-form-v1.schema.json by devtools/gen_web_contract.py (`make generate`): do not edit.
// FIELDS[path].required: "always" (the form cannot be sent without it), "with_siblings" (needed once any
// other answer of the same object is given: a STarT Back item, a medicine's name) or null (optional).

export const FORM_VERSION = "1";
export const LOCALES = [
  "en",
  "es",
  "zh-Hans"
];
export const FIELDS = {
  "form_version": {
    "type": "string",
    "const": "1",
    "required": "always"
  },
  "locale": {
    "type": "string",
    "enum": [
      "en",
      "es",
      "zh-Hans"
    ],
    "required": null
  },
  "patient.given_name": {
    "type": "string",
    "minLength": 1,
    "maxLength": 100,
    "pattern": "^[^\\x00-\\x1f\\u202a-\\u202e\\u2066-\\u2069]*$",
    "required": "always"
  },
  "patient.family_name": {
    "type": "string",
    "minLength": 1,
    "maxLength": 100,
    "pattern": "^[^\\x00-\\x1f\\u202a-\\u202e\\u2066-\\u2069]*$",
    "required": "always"
  },
  "patient.date_of_birth": {
    "type": "string",
    "format": "date",
    "required": "always"
  },
  "patient.sex_at_birth": {
    "type": "string",
    "enum": [
      "female",
      "male",
      "intersex",
      "undisclosed"
    ],
    "required": null
  },
  "patient.email": {
    "type": "string",
    "maxLength": 254,
    "pattern": "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$",
    "required": null
  },
  "patient.phone": {
    "type": "string",
    "maxLength": 30,
    "pattern": "^[^\\x00-\\x1f\\u202a-\\u202e\\u2066-\\u2069]*$",
    "required": null
  },
  "appointment.starts_at": {
    "type": "string",
    "format": "date-time",
    "required": null
  },
  "appointment.practitioner": {
    "type": "string",
    "maxLength": 100,
    "pattern": "^[^\\x00-\\x1f\\u202a-\\u202e\\u2066-\\u2069]*$",
    "required": null
  },
  "consent.privacy_notice_accepted": {
    "type": "boolean",
    "const": true,
    "required": "always"
  },
  "consent.treatment_consent": {
    "type": "boolean",
    "const": true,
    "required": "always"
  },
  "consent.guardian_name": {
    "type": "string",
    "maxLength": 100,
    "pattern": "^[^\\x00-\\x1f\\u202a-\\u202e\\u2066-\\u2069]*$",
    "required": null
  },
  "consent.privacy_notice_version": {
    "type": "string",
    "minLength": 1,
    "maxLength": 50,
    "required": null
  },
  "consent.guardian_relationship": {
    "type": "string",
    "enum": [
      "parent",
      "legal_guardian",
      "other"
    ],
    "required": null
  },
  "consent.guardian_confirmed": {
    "type": "boolean",
    "required": null
  },
  "back_pain.duration_weeks": {
    "type": "integer",
    "minimum": 0,
    "maximum": 1040,
    "required": "always"
  },
  "back_pain.pain_score": {
    "type": "integer",
    "minimum": 0,
    "maximum": 10,
    "required": "always"
  },
  "back_pain.areas": {
    "type": "array",
    "minItems": 1,
    "maxItems": 6,
    "required": "always",
    "items": {
      "type": "string",
      "enum": [
        "lower_back",
        "upper_back",
        "neck",
        "buttock",
        "left_leg",
        "right_leg"
      ]
    }
  },
  "safety.bleeding_disorder": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "safety.blood_thinners": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "safety.pregnant": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure",
      "not_applicable"
    ],
    "required": "always"
  },
  "safety.pregnancy_weeks": {
    "type": "integer",
    "minimum": 0,
    "maximum": 45,
    "required": null
  },
  "safety.immune_condition": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "safety.immune_details": {
    "type": "array",
    "maxItems": 8,
    "required": null,
    "items": {
      "type": "string",
      "enum": [
        "chemotherapy",
        "radiotherapy",
        "hiv",
        "organ_transplant",
        "long_term_steroids",
        "immunosuppressant_or_biologic",
        "no_spleen",
        "other"
      ]
    }
  },
  "safety.electronic_implant": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "safety.implant_details": {
    "type": "array",
    "maxItems": 6,
    "required": null,
    "items": {
      "type": "string",
      "enum": [
        "pacemaker",
        "defibrillator",
        "spinal_cord_stimulator",
        "drug_pump",
        "cochlear_implant",
        "other"
      ]
    }
  },
  "safety.epilepsy": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "safety.heart_valve_condition": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "safety.diabetes": {
    "type": "string",
    "enum": [
      "no",
      "controlled",
      "uncontrolled",
      "unsure"
    ],
    "required": "always"
  },
  "safety.metal_allergy": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "safety.lymphoedema": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "safety.skin_problem_at_pain_area": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "safety.fainting_with_needles": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.saddle_numbness": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.bladder_or_bowel_change": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.worsening_leg_weakness": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.symptoms_in_both_legs": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.fever_or_unwell": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.unexplained_weight_loss": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.cancer_history": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.recent_serious_injury": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.night_pain": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.osteoporosis": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "red_flags.injects_drugs": {
    "type": "string",
    "enum": [
      "yes",
      "no",
      "unsure"
    ],
    "required": "always"
  },
  "medications": {
    "type": "array",
    "maxItems": 50,
    "required": null
  },
  "medications[].name": {
    "type": "string",
    "minLength": 1,
    "maxLength": 200,
    "pattern": "^[^\\x00-\\x1f\\u202a-\\u202e\\u2066-\\u2069]*$",
    "required": "with_siblings"
  },
  "medications[].dose": {
    "type": "string",
    "maxLength": 100,
    "pattern": "^[^\\x00-\\x1f\\u202a-\\u202e\\u2066-\\u2069]*$",
    "required": null
  },
  "allergies": {
    "type": "array",
    "maxItems": 50,
    "required": null,
    "items": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200,
      "pattern": "^[^\\x00-\\x1f\\u202a-\\u202e\\u2066-\\u2069]*$"
    }
  },
  "start_back.leg_pain": {
    "type": "boolean",
    "required": "with_siblings"
  },
  "start_back.shoulder_or_neck_pain": {
    "type": "boolean",
    "required": "with_siblings"
  },
  "start_back.walked_short_distances_only": {
    "type": "boolean",
    "required": "with_siblings"
  },
  "start_back.dressed_more_slowly": {
    "type": "boolean",
    "required": "with_siblings"
  },
  "start_back.not_safe_to_be_active": {
    "type": "boolean",
    "required": "with_siblings"
  },
  "start_back.worrying_thoughts": {
    "type": "boolean",
    "required": "with_siblings"
  },
  "start_back.pain_terrible_never_better": {
    "type": "boolean",
    "required": "with_siblings"
  },
  "start_back.stopped_enjoying_things": {
    "type": "boolean",
    "required": "with_siblings"
  },
  "start_back.bothersomeness": {
    "type": "string",
    "enum": [
      "not_at_all",
      "slightly",
      "moderately",
      "very_much",
      "extremely"
    ],
    "required": "with_siblings"
  },
  "notes": {
    "type": "string",
    "maxLength": 2000,
    "pattern": "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\u202a-\\u202e\\u2066-\\u2069]*$",
    "required": null
  }
};
export const MESSAGE_KEYS = [
  "q.patient.given_name",
  "q.patient.family_name",
  "q.patient.date_of_birth",
  "q.patient.sex_at_birth",
  "q.patient.email",
  "q.patient.phone",
  "q.appointment.starts_at",
  "q.appointment.practitioner",
  "q.consent.privacy_notice_accepted",
  "q.consent.treatment_consent",
  "q.consent.guardian_name",
  "q.consent.guardian_relationship",
  "q.consent.guardian_confirmed",
  "q.back_pain.duration_weeks",
  "q.back_pain.pain_score",
  "q.back_pain.areas",
  "q.safety.bleeding_disorder",
  "q.safety.blood_thinners",
  "q.safety.pregnant",
  "q.safety.pregnancy_weeks",
  "q.safety.immune_condition",
  "q.safety.immune_details",
  "q.safety.electronic_implant",
  "q.safety.implant_details",
  "q.safety.epilepsy",
  "q.safety.heart_valve_condition",
  "q.safety.diabetes",
  "q.safety.metal_allergy",
  "q.safety.lymphoedema",
  "q.safety.skin_problem_at_pain_area",
  "q.safety.fainting_with_needles",
  "q.red_flags.saddle_numbness",
  "q.red_flags.bladder_or_bowel_change",
  "q.red_flags.worsening_leg_weakness",
  "q.red_flags.symptoms_in_both_legs",
  "q.red_flags.fever_or_unwell",
  "q.red_flags.unexplained_weight_loss",
  "q.red_flags.cancer_history",
  "q.red_flags.recent_serious_injury",
  "q.red_flags.night_pain",
  "q.red_flags.osteoporosis",
  "q.red_flags.injects_drugs",
  "q.medications.name",
  "q.medications.dose",
  "q.allergies",
  "q.start_back.leg_pain",
  "q.start_back.shoulder_or_neck_pain",
  "q.start_back.walked_short_distances_only",
  "q.start_back.dressed_more_slowly",
  "q.start_back.not_safe_to_be_active",
  "q.start_back.worrying_thoughts",
  "q.start_back.pain_terrible_never_better",
  "q.start_back.stopped_enjoying_things",
  "q.start_back.bothersomeness",
  "q.notes",
  "option.female",
  "option.male",
  "option.intersex",
  "option.undisclosed",
  "option.parent",
  "option.legal_guardian",
  "option.other",
  "option.lower_back",
  "option.upper_back",
  "option.neck",
  "option.buttock",
  "option.left_leg",
  "option.right_leg",
  "option.yes",
  "option.no",
  "option.unsure",
  "option.not_applicable",
  "option.chemotherapy",
  "option.radiotherapy",
  "option.hiv",
  "option.organ_transplant",
  "option.long_term_steroids",
  "option.immunosuppressant_or_biologic",
  "option.no_spleen",
  "option.pacemaker",
  "option.defibrillator",
  "option.spinal_cord_stimulator",
  "option.drug_pump",
  "option.cochlear_implant",
  "option.controlled",
  "option.uncontrolled",
  "option.not_at_all",
  "option.slightly",
  "option.moderately",
  "option.very_much",
  "option.extremely"
];
