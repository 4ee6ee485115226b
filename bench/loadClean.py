"""pandas doing the work of the lab's load-and-clean, for the benchmark.

Usage: python loadClean.py FILE  ->  one JSON line with seconds (read + clean,
after `import pandas`) and the same report the lab prints, so the counts can
be compared.
"""
import json
import sys
import time

import pandas as pd

path = sys.argv[1]
t0 = time.perf_counter()
df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
rows_in = len(df)
text = {c: df[c].str.strip().replace("", None) for c in df.columns}
quantity = pd.to_numeric(text["Quantity"], errors="coerce")
price = pd.to_numeric(text["UnitPrice"], errors="coerce")
date = pd.to_datetime(text["InvoiceDate"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
customer = text["CustomerID"].str.extract(r"^([0-9]+)(?:\.0*)?$", expand=False)
bad = (
    text["InvoiceNo"].isna() | text["StockCode"].isna() | quantity.isna() | (quantity % 1 != 0)
    | date.isna() | price.isna() | (text["CustomerID"].notna() & customer.isna()) | text["Country"].isna()
)
parsed = pd.DataFrame({
    "invoice": text["InvoiceNo"], "stockCode": text["StockCode"], "description": text["Description"].fillna(""),
    "quantity": quantity, "invoiceDate": date, "unitPrice": price, "customerId": customer, "country": text["Country"],
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
