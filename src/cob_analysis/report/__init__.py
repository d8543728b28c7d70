"""What people read and open: the table layout shared by the workbook and the HTML report
(`layout`), the workbook, the self-contained HTML page (`html`, with `summary`, `views`,
`quality` and `templates/`), the figures' byte-stable files (`figures`) and the SPSS/Stata files
(`spss`). Kept free of imports, so that writing a figure imports only `figures`."""
