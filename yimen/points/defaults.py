"""The town's default 《积分制管理细则》: what such 细则 award and deduct in the five areas
(清水坪镇 seed, issue 16). Each row: code, category, item, points, evidence, cap per month."""

DEFAULT_RULES: list[tuple[str, str, str, int, str, int | None]] = [
    # 产业致富
    ("ind-cooperative", "industry", "加入农民专业合作社", 10, "witness", 1),
    ("ind-new-crop", "industry", "发展特色种养一亩（头）以上", 5, "photo", 2),
    ("ind-training", "industry", "参加农业技术培训", 2, "witness", 4),
    ("ind-employ", "industry", "带动本村村民就业（每人）", 5, "witness", 5),
    ("ind-ecommerce", "industry", "开设农村电商网店", 8, "photo", 1),
    ("ind-idle-land", "industry", "撂荒地复耕", 5, "photo", 2),
    ("ind-lend-land", "industry", "土地流转支持村集体产业", 5, "witness", 1),
    # 善行义举
    ("vir-volunteer", "virtue", "参加志愿服务（每次）", 2, "photo", 8),
    ("vir-help-elder", "virtue", "帮扶孤寡、留守老人", 3, "witness", 4),
    ("vir-blood", "virtue", "无偿献血", 5, "photo", 1),
    ("vir-rescue", "virtue", "见义勇为", 20, "witness", None),
    ("vir-donate", "virtue", "为村公益事业捐款捐物", 3, "photo", 2),
    ("vir-mediate", "virtue", "协助调解邻里纠纷", 3, "witness", 4),
    ("vir-report-hazard", "virtue", "报告安全隐患并核实", 2, "photo", 4),
    # 环境卫生
    ("san-yard", "sanitation", "庭院干净整洁（月评）", 3, "photo", 1),
    ("san-sorting", "sanitation", "垃圾分类投放", 2, "photo", 4),
    ("san-toilet", "sanitation", "完成户厕改造", 5, "photo", 1),
    ("san-cleanup", "sanitation", "参加村庄清洁日", 2, "photo", 4),
    ("san-litter", "sanitation", "乱倒垃圾、污水", -3, "photo", None),
    ("san-burn", "sanitation", "露天焚烧秸秆、垃圾", -5, "photo", None),
    ("san-livestock", "sanitation", "畜禽散养污染环境", -2, "photo", None),
    # 诚实守信
    ("int-fees", "integrity", "按时缴纳医保、水费等", 2, "none", 1),
    ("int-loan", "integrity", "按时归还惠农贷款", 3, "witness", 1),
    ("int-contract", "integrity", "履行村规民约和调解协议", 3, "witness", 2),
    ("int-false-petition", "integrity", "无理缠访闹访经依法处理", -10, "witness", None),
    ("int-default", "integrity", "失信被执行", -10, "witness", None),
    ("int-illegal-build", "integrity", "违法占地建房", -10, "photo", None),
    # 家庭美德
    ("fam-filial", "family", "孝老爱亲（镇村评定）", 5, "witness", 1),
    ("fam-harmony", "family", "家庭和睦、邻里互助", 3, "witness", 1),
    ("fam-school", "family", "子女考上大学", 10, "photo", None),
    ("fam-thrift", "family", "红白喜事简办", 5, "witness", None),
    ("fam-gamble", "family", "参与赌博经查实", -10, "witness", None),
    ("fam-neglect", "family", "不赡养老人经调解仍不改", -10, "witness", None),
    ("fam-extravagance", "family", "大操大办、高额彩礼", -5, "witness", None),
]
