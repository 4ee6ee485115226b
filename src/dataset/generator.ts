import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { validateRowCount } from '../options';

/**
 * A seeded generator of rows in the UCI-workbook CSV layout (the layout of
 * `online-retail-sample.csv`) whose shape resembles the real data: about nine
 * tenths United Kingdom, ~2% cancellation rows, ~25% rows without customer id,
 * the non-product stock codes POST, M, D, DOT and BANK CHARGES, invoices of
 * several lines, Zipf-like popularity of products and customers, and trading
 * hours (07:00–20:00) on trading days (no Saturdays, a Christmas break).
 * The same rows and seed always give the same bytes.
 */
export interface GenerateOptions {
  rows: number;
  seed: number | string;
}

export const DEFAULT_GENERATED_ROWS = 541_909;
export const DEFAULT_SEED = 42;

export const GENERATED_HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

type Rng = () => number;

const ADJECTIVES = [
  'WHITE',
  'RED',
  'PINK',
  'BLUE',
  'GREEN',
  'IVORY',
  'VINTAGE',
  'RETRO',
  'JUMBO',
  'SMALL',
  'LARGE',
  'MINI',
  'HANGING',
  'GLASS',
  'WOODEN',
  'ENAMEL',
  'ANTIQUE',
  'FELTCRAFT',
  'REGENCY',
  'PAPER',
  'CERAMIC',
  'ZINC',
  'SWEETHEART',
  'PAISLEY',
];
const THEMES = [
  'RETROSPOT',
  'HEART',
  'SPOTTY',
  'CHRISTMAS',
  'UNION FLAG',
  'POLKADOT',
  'ROSE',
  'BIRD',
  'STAR',
  'LOVE',
  'ALPHABET',
  'DOILY',
  'SKULL',
  'PARTY',
  'GARDEN',
  'KITCHEN',
  'BAROQUE',
  'CAKE',
  'DOLLY GIRL',
  'SPACEBOY',
  'WOODLAND',
];
const NOUNS = [
  'T-LIGHT HOLDER',
  'LANTERN',
  'COAT HANGER',
  'HOT WATER BOTTLE',
  'LUNCH BAG',
  'CAKE STAND',
  'BUNTING',
  'MUG',
  'TEACUP AND SAUCER',
  'DOORMAT',
  'CAKE CASES',
  'NAPKINS',
  'CUSHION COVER',
  'ALARM CLOCK',
  'JAM JAR',
  'WATER BOTTLE',
  'PURSE',
  'STORAGE TIN',
  'CHOPPING BOARD',
  'PHOTO FRAME',
  'GIFT TAPE',
  'WRAP',
  'BOWLS, SET OF 3',
  'CANDLE',
  'PLASTERS IN TIN',
  'SIGN',
  'DRAWER KNOB',
  'JUMBO BAG',
  'BAKING SET',
  'PARASOL',
];
const PRICE_POINTS = [
  0.19, 0.21, 0.29, 0.39, 0.42, 0.55, 0.65, 0.72, 0.83, 0.85, 1.25, 1.45, 1.65, 1.69, 1.85, 2.1, 2.46, 2.55, 2.95, 3.25,
  3.39, 3.75, 4.25, 4.95, 5.95, 6.75, 7.95, 8.5, 9.95, 12.75, 14.95, 16.95, 24.95, 39.95,
];
const QUANTITIES = [1, 2, 3, 4, 6, 8, 10, 12, 16, 24, 25, 36, 48, 72, 96, 100, 144];
const QUANTITY_WEIGHTS = [14, 12, 6, 5, 9, 3, 4, 14, 2, 5, 2, 2, 2, 1, 1, 0.5, 0.5];
/** Rows per country outside the UK in the real data (relative). */
const COUNTRIES: [string, number][] = [
  ['Germany', 9495],
  ['France', 8557],
  ['EIRE', 8196],
  ['Spain', 2533],
  ['Netherlands', 2371],
  ['Belgium', 2069],
  ['Switzerland', 2002],
  ['Portugal', 1519],
  ['Australia', 1259],
  ['Norway', 1086],
  ['Italy', 803],
  ['Channel Islands', 758],
  ['Finland', 695],
  ['Cyprus', 622],
  ['Sweden', 462],
  ['Austria', 401],
  ['Denmark', 389],
  ['Japan', 358],
  ['Poland', 341],
  ['Israel', 297],
  ['USA', 291],
  ['Hong Kong', 288],
  ['Singapore', 229],
  ['Iceland', 182],
  ['Canada', 151],
  ['Greece', 146],
  ['Malta', 127],
  ['United Arab Emirates', 68],
  ['European Community', 61],
  ['RSA', 58],
  ['Lebanon', 45],
  ['Lithuania', 35],
  ['Brazil', 32],
  ['Czech Republic', 30],
  ['Bahrain', 19],
  ['Saudi Arabia', 10],
];
/** Relative invoice volume per hour of the day, 07:00 to 20:00. */
const HOUR_WEIGHTS = [1, 4, 8, 12, 14, 16, 14, 12, 10, 6, 3, 1.5, 1, 0.5];

/** Draws an index from cumulative weights by binary search. */
function sampler(weights: readonly number[]): (rng: Rng) => number {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) {
    total += w;
    cumulative.push(total);
  }
  return (rng) => {
    const x = rng() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** Zipf-like weights: the k-th most popular item has weight 1/k^s. */
function zipfWeights(n: number, s: number): number[] {
  return Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s);
}

function normal(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

interface Product {
  code: string;
  description: string;
  price: number;
}
interface Customer {
  id: string;
  country: string;
}
interface Line {
  product: Product;
  quantity: number;
  price: number;
  description: string;
}
interface Invoice {
  kind: 'sale' | 'cancellation' | 'adjustment';
  customer: Customer | null;
  lines: Line[];
}

const POST: Product = { code: 'POST', description: 'POSTAGE', price: 18 };
const DOT: Product = { code: 'DOT', description: 'DOTCOM POSTAGE', price: 0 };
const MANUAL: Product = { code: 'M', description: 'Manual', price: 0 };
const DISCOUNT: Product = { code: 'D', description: 'Discount', price: 0 };
const BANK: Product = { code: 'BANK CHARGES', description: 'Bank Charges', price: 15 };
const BAD_DEBT: Product = { code: 'B', description: 'Adjust bad debt', price: 0 };

function makeCatalogue(rng: Rng, size: number): Product[] {
  const used = new Set<string>();
  const products: Product[] = [];
  const pickPrice = sampler(PRICE_POINTS.map((p) => Math.exp(-(Math.log(p / 1.9) ** 2) / 1.2)));
  while (products.length < size) {
    let code = String(10000 + Math.floor(rng() * 80000));
    if (rng() < 0.2) code += 'ABCDEFG'[Math.floor(rng() * 7)];
    if (used.has(code)) continue;
    used.add(code);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
    let description = `${pick(ADJECTIVES)} ${pick(THEMES)} ${pick(NOUNS)}`;
    if (rng() < 0.03) description += ' ';
    products.push({ code, description, price: PRICE_POINTS[pickPrice(rng)]! });
  }
  return products;
}

function makeCustomers(rng: Rng, size: number): Customer[] {
  const pickCountry = sampler(COUNTRIES.map(([, w]) => w));
  const ids = Array.from({ length: 18287 - 12346 + 1 }, (_, i) => 12346 + i);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.slice(0, size).map((id) => ({
    id: `${id}.0`,
    country: rng() < 0.9 ? 'United Kingdom' : COUNTRIES[pickCountry(rng)]![0],
  }));
}

const cents = (x: number): number => Math.round(x * 100) / 100;

/** Builds invoices (without numbers or dates) until they hold `rows` lines. */
function makeInvoices(rng: Rng, rows: number): Invoice[] {
  const products = makeCatalogue(rng, 3684);
  const customers = makeCustomers(rng, 4372);
  const pickProduct = sampler(zipfWeights(products.length, 0.75));
  const pickCustomer = sampler(zipfWeights(customers.length, 0.8));
  const pickQuantity = sampler(QUANTITY_WEIGHTS);
  const product = (): Product => products[pickProduct(rng)]!;
  const invoices: Invoice[] = [];
  let count = 0;
  let sinceAdjustment = 0;
  while (count < rows) {
    const r = rng();
    let invoice: Invoice;
    if (sinceAdjustment > 150_000 && rng() < 0.01) {
      sinceAdjustment = 0;
      invoice = {
        kind: 'adjustment',
        customer: null,
        lines: [
          { product: BAD_DEBT, quantity: 1, price: cents(1000 + rng() * 10000), description: BAD_DEBT.description },
        ],
      };
    } else if (r < 0.17) {
      // A cancellation: a known customer returns one to a few lines (negative quantities).
      const customer = customers[pickCustomer(rng)]!;
      const lines: Line[] = [];
      const n = 1 + Math.floor(-Math.log(Math.max(rng(), 1e-9)) * 1.3);
      for (let i = 0; i < n; i++) {
        if (rng() < 0.04) {
          lines.push({
            product: DISCOUNT,
            quantity: -1,
            price: cents(5 + rng() * 45),
            description: DISCOUNT.description,
          });
          continue;
        }
        const p = product();
        lines.push({
          product: p,
          quantity: -QUANTITIES[pickQuantity(rng)]!,
          price: p.price,
          description: p.description,
        });
      }
      invoice = { kind: 'cancellation', customer, lines };
    } else if (r < 0.1705) {
      invoice = {
        kind: 'sale',
        customer: customers[pickCustomer(rng)]!,
        lines: [{ product: BANK, quantity: 1, price: BANK.price, description: BANK.description }],
      };
    } else {
      const guest = rng() < 0.15;
      const customer = guest ? null : customers[pickCustomer(rng)]!;
      const length = Math.min(600, Math.max(1, Math.round(Math.exp(Math.log(11) + normal(rng)) * (guest ? 2 : 1))));
      const lines: Line[] = [];
      for (let i = 0; i < length; i++) {
        const u = rng();
        if (u < 0.001) {
          lines.push({ product: MANUAL, quantity: 1, price: cents(0.5 + rng() * 30), description: MANUAL.description });
        } else if (guest && u < 0.006) {
          // Stock adjustments without customer, description or price, as in the real data.
          const p = product();
          lines.push({ product: p, quantity: -QUANTITIES[pickQuantity(rng)]!, price: 0, description: '' });
        } else if (lines.length > 0 && u < 0.016) {
          lines.push({ ...lines[lines.length - 1]! }); // an exact duplicate line
        } else {
          const p = product();
          lines.push({
            product: p,
            quantity: QUANTITIES[pickQuantity(rng)]!,
            price: rng() < 0.001 ? 0 : p.price,
            description: p.description,
          });
        }
      }
      if (customer && customer.country !== 'United Kingdom' && rng() < 0.6) {
        lines.push({
          product: POST,
          quantity: 1 + Math.floor(rng() * 3),
          price: [15, 18, 28, 40][Math.floor(rng() * 4)]!,
          description: POST.description,
        });
      }
      if (guest && rng() < 0.3) {
        lines.push({ product: DOT, quantity: 1, price: cents(50 + rng() * 900), description: DOT.description });
      }
      invoice = { kind: 'sale', customer, lines };
    }
    if (count + invoice.lines.length > rows) invoice.lines.length = rows - count;
    count += invoice.lines.length;
    sinceAdjustment += invoice.lines.length;
    invoices.push(invoice);
  }
  return invoices;
}

/** Trading days of Dec 2010 – Dec 2011: no Saturdays, closed 2010-12-24 to 2011-01-03. */
function tradingDays(): Date[] {
  const days: Date[] = [];
  for (let t = Date.UTC(2010, 11, 1); t <= Date.UTC(2011, 11, 9); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() === 6) continue;
    if (t >= Date.UTC(2010, 11, 24) && t <= Date.UTC(2011, 0, 3)) continue;
    days.push(d);
  }
  return days;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Generates the whole file as text (header and rows, LF line endings). */
export function generateRetailCsv(options: GenerateOptions): string {
  const rows = options.rows;
  validateRowCount(rows);
  const rng = seedrandom(String(options.seed));
  const invoices = makeInvoices(rng, rows);
  const days = tradingDays();
  // Trade grows through the year towards the November peak.
  const dayWeights = days.map((_, i) => 1 + 1.5 * (i / days.length) ** 2);
  const totalWeight = dayWeights.reduce((a, b) => a + b, 0);
  const pickHour = sampler(HOUR_WEIGHTS);
  const out: string[] = [GENERATED_HEADER];
  let dayIndex = 0;
  let cumulative = dayWeights[0]!;
  let number = 536365;
  let i = 0;
  while (i < invoices.length) {
    // The invoices of one day, in time order.
    const dayEnd = Math.max(i + 1, Math.round((cumulative / totalWeight) * invoices.length));
    const times: number[] = [];
    for (let k = i; k < Math.min(dayEnd, invoices.length); k++) {
      times.push((7 + pickHour(rng)) * 60 + Math.floor(rng() * 60));
    }
    times.sort((a, b) => a - b);
    if (dayIndex === 0 && times.length > 0) times[0] = 8 * 60 + 26;
    const day = days[Math.min(dayIndex, days.length - 1)]!;
    const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
    for (const minutes of times) {
      const invoice = invoices[i++]!;
      const stamp = `${date} ${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:00`;
      const prefix = invoice.kind === 'cancellation' ? 'C' : invoice.kind === 'adjustment' ? 'A' : '';
      const id = `${prefix}${number++}`;
      const customer = invoice.customer ? invoice.customer.id : '';
      const country = invoice.customer ? invoice.customer.country : 'United Kingdom';
      for (const line of invoice.lines) {
        out.push(
          `${id},${csvField(line.product.code)},${csvField(line.description)},${line.quantity},${stamp},${line.price},${customer},${country}`,
        );
      }
    }
    dayIndex++;
    if (dayIndex < days.length) cumulative += dayWeights[dayIndex]!;
    else cumulative = totalWeight;
  }
  out.push('');
  return out.join('\n');
}

/** Writes a generated file, first to a temp file in the same folder, then renamed: never half-written. */
export function writeGeneratedDataset(file: string, options: GenerateOptions): string {
  const text = generateRetailCsv(options);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  return file;
}
