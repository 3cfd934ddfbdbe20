"""一表通 (issue 20 part 4): the upstream forms a township files, generated from the case records
for a period and a region — no figure typed by hand. `definitions` holds each form's layout
(rows: the region's next level down; columns: figures, each a rule on a case), `build` computes
the figures with the cases behind each and writes the workbook through yimen.core.spreadsheets."""
