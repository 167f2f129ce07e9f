"""DynamoDB and SNS failures injected at the boto3 level (the clients' `before-send` event), through the handlers.

The store must answer 503 with Retry-After after a bounded number of attempts that fits inside the Lambda timeout,
write nothing, log an error without patient data and count it; a failed alert must lose no intake.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from devtools.template import function_def
from screening import deadline
from screening.alerts import sns_client
from screening.deadline import PLANS
from screening.handlers import intake, review
from screening.store.intakes import dynamodb_client
from tests.conftest import Aws
from tests.stress.observe import TIMEOUTS, Observed, aws_error, failing, raises, recorded_backoff
from tests.support import PRACTITIONER, ApiResponse, api_event, call, example_form, with_changes

# What a patient's answers look like in the fixtures; none of it may reach a log line.
PATIENT_VALUES = ("Ana", "Lopez", "ana@example.org", "Eliquis", "1985-04-12", "5 mg twice a day")

THROTTLING = ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]
DYNAMODB_FAULTS: dict[str, tuple[Callable[[Any], AWSResponse], bool]] = {
    **{code: (aws_error(400, code), True) for code in THROTTLING},
    "InternalServerError": (aws_error(500, "InternalServerError"), True),
    **{name: (raises(error), True) for name, error in TIMEOUTS.items()},
}
"""Transient fault name → (the injected answer, whether botocore's standard retry mode retries it)."""
PERMANENT_FAULTS = ["AccessDeniedException", "ResourceNotFoundException", "ValidationException"]
"""Answers no retry fixes: a 500 counted as StoreMisconfigured (an alarm), never a 503 telling the caller to retry."""

# botocore's standard-mode backoff before retry i (0-based) is rand(0, 1) * min(scale * 2**i, 20 s); the scale is
# 1 s after a throttling error and 25 ms after any other error from DynamoDB (botocore.retries.standard).
THROTTLING_SCALE, OTHER_SCALE, MAX_BACKOFF = 1.0, 0.025, 20.0


def backoff_cap(retries: int, scale: float) -> float:
    return float(sum(min(scale * 2**i, MAX_BACKOFF) for i in range(retries)))


def total_attempts(client: Any) -> int:
    """What botocore makes of the client's retry config: `max_attempts` counts retries, so total = it + 1."""
    return int(client.meta.config.retries["total_max_attempts"])


def submit(form: dict[str, Any]) -> ApiResponse:
    return call(intake.lambda_handler, api_event("POST", "/intakes", body=form))


def emergency_form() -> dict[str, Any]:
    return with_changes(example_form(), red_flags={"saddle_numbness": "yes"})


def error_lines(observed: Observed) -> list[dict[str, Any]]:
    return [line for line in observed.log_lines() if line["level"] == "ERROR"]


def assert_no_patient_values(observed: Observed) -> None:
    text = observed.everything()
    assert not [value for value in PATIENT_VALUES if value in text]


@pytest.mark.parametrize("fault", list(DYNAMODB_FAULTS))
def test_a_failing_put_is_retried_a_bounded_number_of_times_then_503_with_nothing_written(
    served_aws: Aws, observed: Observed, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    answer, retried = DYNAMODB_FAULTS[fault]
    client = dynamodb_client()
    with recorded_backoff(monkeypatch) as sleeps, failing(client, "PutItem", answer) as injected:
        response = submit(example_form())

    assert response.status == 503
    assert response.headers["Retry-After"].isdigit()
    assert "nothing was saved" in response.body["message"]
    assert injected.attempts == (total_attempts(client) if retried else 1)
    scale = THROTTLING_SCALE if fault in THROTTLING else OTHER_SCALE
    assert all(0 <= sleep <= min(scale * 2**i, MAX_BACKOFF) for i, sleep in enumerate(sleeps))
    assert len(sleeps) == injected.attempts - 1
    assert served_aws.items() == []
    [error] = error_lines(observed)
    assert error["message"] == "storage unavailable"
    assert error["reason"] == fault
    metrics = observed.metrics()
    assert metrics["StoreUnavailable"] == 1
    assert "IntakesStored" not in metrics
    assert_no_patient_values(observed)


@pytest.mark.parametrize("fault", PERMANENT_FAULTS)
def test_a_permanently_refused_put_is_500_tried_once_counted_and_writes_nothing(
    served_aws: Aws, observed: Observed, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    with recorded_backoff(monkeypatch), failing(dynamodb_client(), "PutItem", aws_error(400, fault)) as injected:
        response = submit(emergency_form())

    assert response.status == 500
    assert "Retry-After" not in response.headers
    assert response.body["patient_advice"], "nothing stored must not mean nothing said"
    assert injected.attempts == 1
    assert served_aws.items() == []
    [error] = error_lines(observed)
    assert (error["message"], error["reason"]) == ("storage misconfigured", fault)
    metrics = observed.metrics()
    assert metrics["StoreMisconfigured"] == 1
    assert "StoreUnavailable" not in metrics
    assert_no_patient_values(observed)


def worst_case_seconds(client: Any) -> float:
    """Every attempt waits its full connect and read timeouts, and every retry its longest (throttling) backoff."""
    config, attempts = client.meta.config, total_attempts(client)
    return float(
        attempts * (config.connect_timeout + config.read_timeout) + backoff_cap(attempts - 1, THROTTLING_SCALE)
    )


def test_the_worst_case_arithmetic_follows_botocore() -> None:
    """The backoff caps this file assumes are botocore's own: its standard retry mode's exponential backoff."""
    from botocore.retries import standard

    assert standard.ExponentialBackoff()._max_backoff == MAX_BACKOFF
    assert standard.DEFAULT_MAX_ATTEMPTS == 3
    for plan in PLANS:
        assert plan.worst_case() == pytest.approx(
            plan.attempts * (plan.connect_timeout + plan.read_timeout) + backoff_cap(plan.attempts - 1, 1.0)
        )


@pytest.mark.parametrize("function_id", ["IntakeFunction", "ReviewFunction"])
def test_store_retries_fit_inside_each_function_timeout(served_aws: Aws, function_id: str) -> None:
    assert worst_case_seconds(dynamodb_client()) <= function_def(function_id).timeout_s


class SlowAws:
    """A fake clock and an endpoint as slow as it can be without failing: every attempt of every call takes its
    client's full connect and read timeouts, the first attempt of each call is throttled (then waits botocore's
    longest backoff), and the first PutItem lands but its answer is lost. Counts every attempt by operation."""

    def __init__(self, served_aws: Aws, start: float = 1000.0) -> None:
        self.aws = served_aws
        self.now = start
        self.attempts: dict[str, int] = {}
        self.plans: list[int] = []
        self._landed = False

    def clock(self) -> float:
        return self.now

    def intercept(self, config: Any, operation: str) -> Callable[..., AWSResponse | None]:
        def answer(request: Any, **_: Any) -> AWSResponse | None:
            self.attempts[operation] = self.attempts.get(operation, 0) + 1
            self.now += config.connect_timeout + config.read_timeout
            if operation == "PutItem" and not self._landed:
                self._landed = True
                self.aws.dynamodb.put_item(**json.loads(request.body))
                raise TIMEOUTS["ReadTimeoutError"](request.url)
            # botocore numbers its attempts in this header: "attempt=1; max=3"
            header = request.headers.get("amz-sdk-request", b"")
            first_of_call = (header.decode() if isinstance(header, bytes) else header).startswith("attempt=1;")
            if first_of_call and config.retries["total_max_attempts"] > 1:
                if operation == "Publish":
                    return aws_error(400, "Throttling", protocol="query")(request)
                return aws_error(400, "ThrottlingException")(request)
            return None

        return answer


def test_the_lost_answer_path_fits_inside_the_function_timeout_whatever_the_endpoints_do(
    served_aws: Aws, observed: Observed, monkeypatch: pytest.MonkeyPatch, record_property: Callable[[str, str], None]
) -> None:
    """Put, condition check, token update, alert window and alert, each as slow as it can be: the deadlines taken
    from the remaining Lambda time keep the whole invocation inside the template's timeout."""
    slow = SlowAws(served_aws)
    monkeypatch.setattr(deadline, "clock", slow.clock)
    import botocore.endpoint

    class _Sleeps:
        @staticmethod
        def sleep(seconds: float) -> None:
            slow.now += seconds

    monkeypatch.setattr(botocore.endpoint, "time", _Sleeps)
    from botocore.retries import standard

    jittered = standard.ExponentialBackoff.delay_amount

    def longest(backoff: Any, context: Any) -> float:
        backoff._random = lambda: 1.0
        return float(jittered(backoff, context))

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", longest)
    for plan in PLANS:  # every client a plan can pick, so each attempt is seen whichever is used
        for client in (dynamodb_client(plan), sns_client(plan)):
            service = client.meta.service_model.service_id.hyphenize()
            for operation in client.meta.service_model.operation_names:
                client.meta.events.register(
                    f"before-send.{service}.{operation}", slow.intercept(client.meta.config, operation)
                )
    timeout_s = function_def("IntakeFunction").timeout_s
    started = slow.now

    response = call(
        intake.lambda_handler,
        api_event("POST", "/intakes", body=emergency_form(), headers={"Idempotency-Key": "a" * 36}),
    )

    elapsed = slow.now - started
    calls = ", ".join(f"{operation} {count}" for operation, count in sorted(slow.attempts.items()))
    record_property("stress:lost-answer worst case", f"{elapsed:.2f} s of {timeout_s} s, {response.status}, {calls}")
    assert elapsed <= timeout_s - deadline.ANSWER_MARGIN_S, f"cut off by Lambda after {elapsed:.2f} s"
    assert elapsed > timeout_s / 2, "the endpoints were not slow enough to test the deadlines"
    assert response.status in (201, 503)
    assert response.body["patient_advice"], "the emergency advice is given whatever happens"
    assert len(served_aws.items()) == 1
    assert slow.attempts["PutItem"] >= 2
    assert slow.attempts["UpdateItem"] >= 1, "the lost answer was recognised with a conditional update"
    metrics = observed.metrics()
    if response.status == 201:
        assert metrics.get("CriticalAlertsSent", 0) + metrics.get("CriticalAlertsFailed", 0) == 1


def test_a_put_whose_answer_is_lost_is_stored_once_and_still_alerts(
    served_aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first attempt reaches DynamoDB but its answer times out; botocore's retry then finds the item there."""
    landed: list[str] = []

    def lands_then_times_out(request: Any) -> AWSResponse | None:
        if landed:
            return None  # later attempts go through to moto
        served_aws.dynamodb.put_item(**json.loads(request.body))
        landed.append(json.loads(request.body)["Item"]["id"]["S"])
        raise TIMEOUTS["ReadTimeoutError"](request.url)

    with recorded_backoff(monkeypatch), failing(dynamodb_client(), "PutItem", lands_then_times_out) as injected:
        response = submit(emergency_form())

    assert injected.attempts == 3  # the intake's put twice, then the minute's alert window
    assert response.status == 201, "a retry of its own write is a new intake, not a replay"
    [item] = served_aws.items()
    assert item["id"]["S"] == response.body["id"] == landed[0]
    assert len(served_aws.alerts()) == 1, "the retry of its own write was taken for a replay: no alert was sent"


SNS_FAULTS: dict[str, tuple[Callable[[Any], AWSResponse], bool]] = {
    "Throttling": (aws_error(400, "Throttling", protocol="query"), True),
    "InternalError": (aws_error(500, "InternalError", protocol="query"), True),
    "ReadTimeoutError": (raises(TIMEOUTS["ReadTimeoutError"]), True),
    "AuthorizationError": (aws_error(403, "AuthorizationError", protocol="query"), False),
    "KMSAccessDenied": (aws_error(400, "KMSAccessDenied", protocol="query"), False),
}


@pytest.mark.parametrize("fault", list(SNS_FAULTS))
def test_a_failing_alert_loses_no_intake_and_is_counted(
    served_aws: Aws, observed: Observed, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    answer, retried = SNS_FAULTS[fault]
    client = sns_client()
    with recorded_backoff(monkeypatch), failing(client, "Publish", answer) as injected:
        response = submit(emergency_form())

    assert response.status == 201
    assert response.body["patient_advice"]
    [item] = served_aws.items()
    assert item["id"]["S"] == response.body["id"]
    assert item["highest_severity"]["S"] == "critical"
    assert injected.attempts == (total_attempts(client) if retried else 1)
    assert served_aws.alerts() == []
    [error] = error_lines(observed)
    assert error["message"] == "critical alert not sent"
    metrics = observed.metrics()
    assert metrics["CriticalAlertsFailed"] == 1
    assert metrics["IntakesStored"] == 1
    assert "CriticalAlertsSent" not in metrics
    assert_no_patient_values(observed)


def practitioner(method: str, path: str, route: str, **kwargs: Any) -> ApiResponse:
    return call(review.lambda_handler, api_event(method, path, route=route, claims=PRACTITIONER, **kwargs))


@pytest.mark.parametrize("fault", ["ProvisionedThroughputExceededException", "InternalServerError", "ReadTimeoutError"])
def test_a_throttled_review_decision_is_503_and_changes_nothing(
    served_aws: Aws, observed: Observed, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    intake_id = submit(example_form()).body["id"]
    [before] = served_aws.items()
    body = {"decision": "refer_to_doctor", "note": "Zephyrine to see her GP", "expected_version": 1}
    with recorded_backoff(monkeypatch), failing(dynamodb_client(), "UpdateItem", DYNAMODB_FAULTS[fault][0]) as injected:
        response = practitioner(
            "POST", f"/intakes/{intake_id}/review", "/intakes/{id}/review", body=body, path_parameters={"id": intake_id}
        )

    assert response.status == 503
    assert response.headers["Retry-After"].isdigit()
    assert injected.attempts == total_attempts(dynamodb_client())
    assert served_aws.items() == [before]
    assert observed.metrics()["StoreUnavailable"] == 1
    assert "Zephyrine" not in observed.everything()


@pytest.mark.parametrize(
    ("operation", "method", "path", "route"),
    [
        ("Query", "GET", "/reviews", "/reviews"),
        ("GetItem", "GET", "/intakes/2b0e2f8e-3c55-4a5e-9d43-1f6c1d7f8a10", "/intakes/{id}"),
    ],
)
def test_failing_review_reads_are_503_not_500(
    served_aws: Aws, monkeypatch: pytest.MonkeyPatch, operation: str, method: str, path: str, route: str
) -> None:
    parameters = {"id": path.rsplit("/", 1)[1]} if "{id}" in route else None
    with recorded_backoff(monkeypatch), failing(dynamodb_client(), operation, aws_error(400, "ThrottlingException")):
        response = practitioner(method, path, route, path_parameters=parameters)
    assert response.status == 503
    assert response.headers["Retry-After"].isdigit()
