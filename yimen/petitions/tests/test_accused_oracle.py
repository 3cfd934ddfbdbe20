"""Issue 12 item 10: the accusation intake is no username oracle. A name that does not exist,
a disabled account and a mix of either with a real account get the same answer, naming none."""

import pytest

from yimen.cases.models import Case
from yimen.petitions.tests.test_api import body, create


def accusation(accused: list[str]) -> dict:
    return body(
        petition_type="accusation",
        category="petition.accusation",
        title="检举工作人员违规收费",
        parties=[{"name": "匿名群众", "role": "applicant"}],
        accused_users=accused,
    )


@pytest.fixture
def disabled(seats):
    user = seats["court"].user
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user.username


def test_unknown_and_disabled_accounts_get_one_answer_naming_no_account(client, seats, disabled):
    answers = {
        "unknown": create(client, seats["petition"], accusation(["nosuchuser"])),
        "disabled": create(client, seats["petition"], accusation([disabled])),
        "unknown beside a real one": create(client, seats["petition"], accusation(["police", "nosuchuser"])),
        "disabled beside a real one": create(client, seats["petition"], accusation(["police", disabled])),
    }
    bodies = {name: (answer.status_code, answer.json()) for name, answer in answers.items()}
    assert len({repr(found) for found in bodies.values()}) == 1, bodies
    status, shape = bodies["unknown"]
    assert status == 422 and set(shape) == {"detail", "code", "errors"}
    said = repr(shape)
    assert "nosuchuser" not in said and disabled not in said and "police" not in said
    assert not Case.objects.filter(kind="petition").exists()


def test_a_real_account_is_still_linked(client, seats):
    answer = create(client, seats["petition"], accusation(["police"]))
    assert answer.status_code == 201, answer.json()
    assert Case.objects.get(code=answer.json()["code"]).accused_people.get().user == seats["police"].user
