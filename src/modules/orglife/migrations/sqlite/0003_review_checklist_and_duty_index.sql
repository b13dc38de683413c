-- The higher organisation's review checklist (spec 04 "The higher organisation's review": the local
-- "两审两备五查" items a reviewer picks when accepting or returning a record), and the problems of a
-- review tied to its items, so that they are counted by class and item, per branch and per month.
--
-- The checklist is local practice, one per deployment: classes (问题类别) and their items (问题条目).
-- Items are added and retired through the API (audited), never deleted: a retired item stays valid
-- for the problems already recorded under it. The rows below are a default derived from spec 04 and
-- rules.md §1.4 (5 classes, 13 items, as 中原区's audit of 三会一课 counted "问题5类13项"); each
-- names its basis. A deployment edits it to its own list. Seeded rows have no created_at.
CREATE TABLE review_checklist_class (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  seq INTEGER NOT NULL,
  title TEXT NOT NULL UNIQUE,
  created_at TEXT,
  created_by BIGINT
);
CREATE TABLE review_checklist_item (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  class_id BIGINT NOT NULL REFERENCES review_checklist_class (id),
  seq INTEGER NOT NULL,
  title TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  created_at TEXT,
  created_by BIGINT,
  retired_at TEXT,
  retired_by BIGINT,
  retire_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX review_checklist_item_class ON review_checklist_item (class_id, seq);
CREATE UNIQUE INDEX review_checklist_item_active ON review_checklist_item (class_id, title)
  WHERE retired_at IS NULL;

INSERT INTO review_checklist_class (seq, title) VALUES
  (1, '会议频次不足'),
  (2, '参会人数不足'),
  (3, '表决程序不规范'),
  (4, '会议记录不规范'),
  (5, '材料归档不规范');
INSERT INTO review_checklist_item (class_id, seq, title, source)
  SELECT c.id, i.seq, i.title, i.source FROM review_checklist_class c JOIN (
    SELECT 1 AS class_seq, 1 AS seq, '三会一课未按期召开' AS title,
      '中国共产党支部工作条例（试行）第十一条、第十二条、第十三条；党员教育管理工作条例 第十六条' AS source
    UNION ALL SELECT 1, 2, '主题党日未按固定日期开展',
      '中国共产党党员教育管理工作条例 第十六条（每月开展1次主题党日）；固定日期为本地设置 orglife.theme_day_of_month'
    UNION ALL SELECT 1, 3, '组织生活会、民主评议党员未按年度开展',
      '中国共产党党员教育管理工作条例 第十七条、第十八条'
    UNION ALL SELECT 2, 1, '支委会到会委员未超过半数',
      '中国共产党支部工作条例（试行）第十二条（须有半数以上委员到会方可进行）'
    UNION ALL SELECT 2, 2, '党员大会到会有表决权的党员未超过半数',
      '中国共产党支部工作条例（试行）第十一条（半数以上有表决权的党员到会方可进行）'
    UNION ALL SELECT 2, 3, '缺席未登记或请假未注明事由',
      '中国共产党党员教育管理工作条例 第十六条（党员按期参加党员大会、党小组会和上党课）；登记要求为本地做法'
    UNION ALL SELECT 3, 1, '赞成票未超过应到会有表决权党员的半数即宣布通过',
      '中国共产党支部工作条例（试行）第十一条（赞成人数超过应到会有表决权的党员的半数为通过）'
    UNION ALL SELECT 3, 2, '预备党员或受留党察看处分的党员参加表决',
      '中国共产党章程 第七条（预备党员没有表决权）、第四十条（留党察看期间没有表决权）'
    UNION ALL SELECT 4, 1, '记录要素不全（时间、地点、主持人、记录人、出席情况）',
      '本地做法：组织生活纪实“痕迹化管理”（spec 04 记录要素）'
    UNION ALL SELECT 4, 2, '记录过于简略，未写明讨论和决议情况',
      '本地做法：“两审两备五查”中的会议记录审核'
    UNION ALL SELECT 4, 3, '会议内容与主题不符或未结合工作实际',
      '本地做法：中原区梳理的“开展形式不灵活、工作结合不紧密”问题'
    UNION ALL SELECT 5, 1, '材料未按时报上级党组织审核、备案或归档',
      '本地做法：“两审两备”（记录报上级党组织审核、备案）'
    UNION ALL SELECT 5, 2, '签到表、照片等佐证材料缺失',
      '本地做法：《党支部党员活动日活动记录本》“痕迹化管理”'
  ) i ON i.class_seq = c.seq;

-- A review's problems name their checklist item (NULL: a free-text reason, counted as class 其他)
-- and the day the review found them (Asia/Shanghai), which the statistics count by month.
ALTER TABLE meeting_review_problem ADD COLUMN item_id BIGINT REFERENCES review_checklist_item (id);
ALTER TABLE meeting_review_problem ADD COLUMN found_on TEXT NOT NULL DEFAULT '';
UPDATE meeting_review_problem SET found_on = (SELECT substr(v.reviewed_at, 1, 10) FROM meeting_review v
  WHERE v.id = meeting_review_problem.review_id);
CREATE INDEX meeting_review_problem_found ON meeting_review_problem (found_on, org_id);

-- The frequency duties' rules and the compliance board read the dates of the counted records of
-- one kind, with their organisation, over a range of dates: this index answers them alone, without
-- reading the records (the partial index it replaces left SQLite reading every record to check
-- `counted`, which was most of the board's time on the demo city).
CREATE INDEX meeting_record_kind_counted ON meeting_record (kind, counted, held_on, org_id);
DROP INDEX meeting_record_held;
-- The organisations the duties bind — active branches and 党小组 with members today — are found
-- from these two indexes alone (member_group, orglife's own, gains the two columns the test needs;
-- member_org_active is kept for the same test on a branch's members).
DROP INDEX member_group;
CREATE INDEX member_group ON member (group_id, status, departed_on) WHERE group_id IS NOT NULL;
CREATE INDEX member_org_active ON member (org_id, status, departed_on);
