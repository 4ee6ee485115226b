"""pandas doing the work of the lab's load-and-clean, for the benchmark.

Usage: python loadClean.py FILE [ENCODING DATE_FORMAT COLUMNS_JSON]
  ENCODING, DATE_FORMAT: the file's, as the lab detected its layout (default
  utf-8 and %Y-%m-%d %H:%M:%S); COLUMNS_JSON maps the lab's canonical names
  (invoice, stockCode, ...) to the file's column names.
Prints one JSON line with seconds (read + clean, after `import pandas`) and the
same report the lab prints, so the counts can be compared.
"""
import json
import sys
import time

import pandas as pd

path = sys.argv[1]
encoding = sys.argv[2] if len(sys.argv) > 2 else "utf-8"
date_format = sys.argv[3] if len(sys.argv) > 3 else "%Y-%m-%d %H:%M:%S"
columns = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {
    "invoice": "InvoiceNo", "stockCode": "StockCode", "description": "Description", "quantity": "Quantity",
    "invoiceDate": "InvoiceDate", "unitPrice": "UnitPrice", "customerId": "CustomerID", "country": "Country",
}
t0 = time.perf_counter()
df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
rows_in = len(df)
df = df.rename(columns={name: field for field, name in columns.items()})
text = {c: df[c].str.strip().replace("", None) for c in columns}
quantity = pd.to_numeric(text["quantity"], errors="coerce")
price = pd.to_numeric(text["unitPrice"], errors="coerce")
date = pd.to_datetime(text["invoiceDate"], format=date_format, errors="coerce")
customer = text["customerId"].str.extract(r"^([0-9]+)(?:\.0*)?$", expand=False)
bad = (
    text["invoice"].isna() | text["stockCode"].isna() | quantity.isna() | (quantity % 1 != 0)
    | date.isna() | price.isna() | (text["customerId"].notna() & customer.isna()) | text["country"].isna()
)
parsed = pd.DataFrame({
    "invoice": text["invoice"], "stockCode": text["stockCode"], "description": text["description"].fillna(""),
    "quantity": quantity, "invoiceDate": date, "unitPrice": price, "customerId": customer, "country": text["country"],
})[~bad]
missing = parsed["customerId"].isna()
cancel = parsed["invoice"].str.match(r"^[A-Za-z]")
nonpos_q = parsed["quantity"] <= 0
nonpos_p = parsed["unitPrice"] <= 0
kept = parsed[~(missing | cancel | nonpos_q | nonpos_p)]
clean = kept.drop_duplicates()
clean = clean.assign(totalPrice=(clean["quantity"] * clean["unitPrice"]).round(2))
report = {
    "rowsIn": rows_in,
    "rowsOut": len(clean),
    "missingCustomer": int(missing.sum()),
    "cancellations": int(cancel.sum()),
    "nonPositiveQuantity": int(nonpos_q.sum()),
    "nonPositivePrice": int(nonpos_p.sum()),
    "duplicates": len(kept) - len(clean),
    "quarantined": int(bad.sum()),
    "invoices": int(clean["invoice"].nunique()),
    "customers": int(clean["customerId"].nunique()),
    "countries": int(clean["country"].nunique()),
    "revenue": round(float((clean["totalPrice"] * 100).round().sum()) / 100, 2),
}
seconds = time.perf_counter() - t0
print(json.dumps({"engine": "pandas", "seconds": seconds, "pandasVersion": pd.__version__, "report": report}))
