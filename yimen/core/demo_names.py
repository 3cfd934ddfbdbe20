"""Plausible synthetic names and phone numbers, deterministic for a given random generator."""

import random

# Common surnames in 全州 and north-eastern Guangxi, weighted roughly by frequency.
SURNAMES = "唐蒋王李刘周谢邓黄陈秦赵文龙石胡何罗杨朱曾毛易翟俸宾莫蔡廖"
GIVEN = "建国明华军平红英兰芳秀云海林春桂生德永志国庆德祥丽娟萍静雪梅东文斌杰涛勇辉强伟"


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
    return rng.choice(SURNAMES) + given


def demo_phone(n: int) -> str:
    """A mobile number in the 199-0000 block. China reserves no fictitious range; this block is
    kept for demo and test data and never used to send anything."""
    return f"1990000{n:04d}"
