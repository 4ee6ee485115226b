/**
 * The canonical, cleaned Online Retail row: every reader maps its layout to this
 * shape, the producer sends it as the JSON value of a Kafka message, and the
 * notebooks chart it.
 */
export interface RetailRow {
  invoice: string;
  stockCode: string;
  description: string;
  quantity: number;
  /** ISO 8601 local time without zone, e.g. `2010-12-01T08:26:00`. */
  invoiceDate: string;
  unitPrice: number;
  /** Customer ids are strings (`17850`), never floats such as `17850.0`. */
  customerId: string;
  country: string;
  /** quantity × unitPrice, rounded to cents. */
  totalPrice: number;
}
