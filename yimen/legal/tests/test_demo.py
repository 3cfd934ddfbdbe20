"""The demo builder on a small scale: an adviser per village (才湾村's is the `adviser` account),
a file for every legal-aid case, and the seed story decided with its 决定书 and a lawyer
assigned; a second run changes nothing."""

from yimen.cases.tests.test_api import bearer
from yimen.legal import demo
from yimen.legal.models import Adviser, LegalAidFile, OutreachOrder, TrainingSession
from yimen.legal.tests.conftest import application, texts


def test_build_demo_tells_the_story_and_is_idempotent(client, seats):
    story = application(seats, title=demo.STORY_TITLE)
    other = application(seats, title="农民工讨薪法律援助", category="legal_aid.wages")
    LegalAidFile.objects.all().delete()  # the cases demo writes cases without files
    line = demo.build_demo()
    assert "村法律顾问 2 名" in line and "法律援助档案 2 件" in line and story.code in line, line
    assert "送法活动 2 场" in line and OutreachOrder.objects.get().village.code == "450324106200"
    mine = Adviser.objects.get(member=seats["adviser"])
    assert [v.code for v in mine.villages.all()] == ["450324106200"]
    # With no closed dispute in this small town only the cadre training is seeded, not the case talk.
    assert "干部培训与案例宣讲 1 场" in line
    assert TrainingSession.objects.get().speaker == mine
    aid = LegalAidFile.objects.get(case=story)
    assert aid.granted and aid.exemption == "art32_abuse" and aid.lawyer and aid.assigned_at > aid.decided_at
    word, pdf = texts(story, "legal_aid_grant")
    assert "蒋秀兰" in word and "家庭暴力" in pdf
    assert LegalAidFile.objects.filter(case=other).exists()
    # The village's adviser reads the story's file.
    answer = client.get(f"/api/v1/cases/{story.code}/legal-aid", headers=bearer(seats["adviser"]))
    assert answer.status_code == 200 and answer.json()["granted"] is True
    assert demo.build_demo().endswith("跳过。")
