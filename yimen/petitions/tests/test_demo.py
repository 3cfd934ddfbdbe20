"""The demo builder on a small scale: records for petition cases, the story answered and its 复查
linked and answered; a second run changes nothing."""

from yimen.petitions import demo
from yimen.petitions.models import PetitionRecord
from yimen.petitions.tests.conftest import PETITION, PLAN, REPRESENTATIVES, act, petition


def test_build_demo_links_the_story_and_is_idempotent(seats, dated):
    dated(2026, 1, 5)
    story = petition(seats, title=demo.STORY_TITLE)
    story = act("accept", story, seats["dispatcher"])
    story = act("dispatch", story, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    story = act("sign", story, seats["petition"])
    PetitionRecord.objects.all().delete()  # the cases demo writes cases without records
    other = petition(
        seats, title="反映低保评定不公", category=None, parties=[REPRESENTATIVES[1] | {"role": "applicant"}]
    )
    PetitionRecord.objects.filter(case=other).delete()
    dated(2026, 2, 24)
    line = demo.build_demo()
    assert "征地补偿集体访已答复并复查" in line, line
    story.refresh_from_db()
    assert story.state == "closed" and story.petition.opinion_issued_at
    review = PetitionRecord.objects.get(review_of=story)
    assert review.level == "review" and review.opinion_issued_at and review.case.state == "replied"
    assert {d.kind for d in story.documents.all()} == {"acceptance_notice", "handling_opinion"}
    assert demo.build_demo().endswith("跳过。")
