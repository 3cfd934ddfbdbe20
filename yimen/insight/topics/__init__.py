"""每月一题 / 未诉先办 (issue 20 part 1): each month the month's cases of a town are clustered by
their text into topics (a Chinese label, key terms, the cases and where they are); a leader
turns a topic into a governance project and the dashboard follows the topic's volume after.

Rooms: `text` (tokens), `cluster` (the pure algorithm, no database), `models`, `services`
(building a month's topics, opening a project), `selectors` (scoped reads, the volume series,
`top_topics` for the annual report), `api`, `views`, `tasks`."""
