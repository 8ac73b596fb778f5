import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import Stripe from "stripe";

/**
 * A local stand-in for the parts of Stripe's HTTP API Ebbflow calls (customers, Checkout and
 * billing-portal sessions, subscriptions, subscription items, invoices), so billing tests run
 * with the real `stripe` library and no network. Tests drive what Stripe would do on its own
 * (a customer paying at Checkout, an invoice failing) through the control methods, and turn the
 * resulting objects into signed webhook deliveries with `signedWebhookRequest`.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface FakeSubscriptionItem extends JsonObject {
  id: string;
  object: "subscription_item";
  subscription: string;
  price: { id: string; object: "price" };
  quantity: number;
  metadata: Record<string, string>;
  created: number;
}

export interface FakeSubscription extends JsonObject {
  id: string;
  object: "subscription";
  customer: string;
  status: string;
  created: number;
  metadata: Record<string, string>;
}

export interface FakeInvoice extends JsonObject {
  id: string;
  object: "invoice";
  customer: string;
  status: string;
  number: string;
  created: number;
  currency: string;
  amount_due: number;
  amount_paid: number;
  hosted_invoice_url: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: JsonObject;
}

export interface StripeFake {
  url: string;
  requests: RecordedRequest[];
  customers: Map<string, JsonObject>;
  checkoutSessions: Map<string, JsonObject>;
  /** A customer pays at Checkout: the session's subscription starts, active, with its first invoice paid. */
  completeCheckout(sessionId: string): { session: JsonObject; subscription: JsonObject };
  /** The subscription as Stripe would send it in an event or answer a retrieve. */
  subscription(id: string): JsonObject;
  setSubscriptionStatus(id: string, status: string): JsonObject;
  /** A renewal invoice of a subscription, paid or failed. */
  invoice(subscriptionId: string, outcome: "paid" | "failed"): JsonObject;
  /** A Stripe event wrapping `object`, as the JSON body Stripe would post. */
  event(type: string, object: JsonObject, createdSeconds?: number): { id: string; payload: string };
  close(): Promise<void>;
}

function newId(prefix: string): string {
  return `${prefix}_test_${randomBytes(10).toString("hex")}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Stripe's form encoding (`a[b][0][c]=v`) back into nested objects and arrays. */
export function parseStripeForm(text: string): JsonObject {
  const root: JsonObject = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.split("[").map((part) => part.replace(/]$/, ""));
    let node: JsonObject = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next !== "object" || next === null || Array.isArray(next)) node[part] = {};
      node = node[part] as JsonObject;
    });
  }
  return arraysFromIndexes(root) as JsonObject;
}

function arraysFromIndexes(value: Json): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((key) => [key, arraysFromIndexes(value[key] ?? null)]));
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => converted[key] ?? null);
  }
  return converted;
}

function text(value: Json | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function stringRecord(value: Json | undefined): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

class FakeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = "resource_missing",
  ) {
    super(message);
  }
}

export async function startStripeFake(): Promise<StripeFake> {
  const customers = new Map<string, JsonObject>();
  const checkoutSessions = new Map<string, JsonObject>();
  const subscriptions = new Map<string, FakeSubscription>();
  const items = new Map<string, FakeSubscriptionItem>();
  const invoices = new Map<string, FakeInvoice>();
  const idempotent = new Map<string, JsonObject>();
  const requests: RecordedRequest[] = [];
  let baseUrl = "";
  let invoiceNumber = 0;

  const must = <T>(map: Map<string, T>, id: string, what: string): T => {
    const found = map.get(id);
    if (!found) throw new FakeError(404, `No such ${what}: '${id}'`);
    return found;
  };

  const subscriptionView = (id: string): JsonObject => {
    const subscription = must(subscriptions, id, "subscription");
    const data = [...items.values()].filter((item) => item.subscription === id);
    return { ...subscription, items: { object: "list", data, has_more: false, url: `/v1/subscription_items?subscription=${id}` } };
  };

  const createItem = (subscription: string, priceId: string, quantity: number, metadata: Record<string, string>) => {
    const item: FakeSubscriptionItem = {
      id: newId("si"),
      object: "subscription_item",
      subscription,
      price: { id: priceId, object: "price" },
      quantity,
      metadata,
      created: nowSeconds(),
    };
    items.set(item.id, item);
    return item;
  };

  const createInvoice = (customer: string, subscriptionId: string, outcome: "paid" | "failed"): FakeInvoice => {
    invoiceNumber += 1;
    const id = newId("in");
    const invoice: FakeInvoice = {
      id,
      object: "invoice",
      customer,
      status: outcome === "paid" ? "paid" : "open",
      number: `EBB-${String(invoiceNumber).padStart(4, "0")}`,
      created: nowSeconds(),
      currency: "usd",
      amount_due: 2900,
      amount_paid: outcome === "paid" ? 2900 : 0,
      hosted_invoice_url: `${baseUrl}/i/${id}`,
      parent: { type: "subscription_details", subscription_details: { subscription: subscriptionId, metadata: {} } },
    };
    invoices.set(id, invoice);
    return invoice;
  };

  const route = (method: string, path: string, query: URLSearchParams, body: JsonObject, idempotencyKey: string | null): Json => {
    const parts = path.split("/").filter(Boolean);
    if (method === "POST" && path === "/v1/customers") {
      const cached = idempotencyKey ? idempotent.get(idempotencyKey) : undefined;
      if (cached) return cached;
      const customer: JsonObject = {
        id: newId("cus"),
        object: "customer",
        email: text(body.email) ?? null,
        name: text(body.name) ?? null,
        metadata: stringRecord(body.metadata),
        created: nowSeconds(),
      };
      customers.set(String(customer.id), customer);
      if (idempotencyKey) idempotent.set(idempotencyKey, customer);
      return customer;
    }
    if (method === "GET" && parts[1] === "customers" && parts[2]) return must(customers, parts[2], "customer");
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const customer = text(body.customer);
      if (!customer || !customers.has(customer)) throw new FakeError(400, "No such customer", "resource_missing");
      if (text(body.mode) !== "subscription") throw new FakeError(400, "Only subscription mode is faked", "parameter_invalid");
      const id = newId("cs");
      const session: JsonObject = {
        id,
        object: "checkout.session",
        mode: "subscription",
        status: "open",
        customer,
        client_reference_id: text(body.client_reference_id) ?? null,
        metadata: stringRecord(body.metadata),
        line_items: body.line_items ?? [],
        subscription: null,
        success_url: text(body.success_url) ?? null,
        cancel_url: text(body.cancel_url) ?? null,
        url: `${baseUrl}/c/pay/${id}`,
        created: nowSeconds(),
      };
      checkoutSessions.set(id, session);
      return session;
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      const customer = text(body.customer);
      if (!customer || !customers.has(customer)) throw new FakeError(400, "No such customer");
      const id = newId("bps");
      return { id, object: "billing_portal.session", customer, return_url: text(body.return_url) ?? null, url: `${baseUrl}/p/session/${id}` };
    }
    if (parts[1] === "subscriptions" && parts[2]) {
      if (method === "GET") return subscriptionView(parts[2]);
      if (method === "DELETE") {
        must(subscriptions, parts[2], "subscription").status = "canceled";
        return subscriptionView(parts[2]);
      }
      if (method === "POST") {
        const subscription = must(subscriptions, parts[2], "subscription");
        subscription.metadata = { ...subscription.metadata, ...stringRecord(body.metadata) };
        return subscriptionView(parts[2]);
      }
    }
    if (path === "/v1/subscription_items") {
      if (method === "GET") {
        const subscription = query.get("subscription") ?? "";
        const data = [...items.values()].filter((item) => item.subscription === subscription);
        return { object: "list", data, has_more: false, url: path };
      }
      if (method === "POST") {
        const subscription = must(subscriptions, text(body.subscription) ?? "", "subscription");
        const price = text(body.price);
        if (!price) throw new FakeError(400, "Missing required param: price.", "parameter_missing");
        return createItem(subscription.id, price, Number(text(body.quantity) ?? "1"), stringRecord(body.metadata));
      }
    }
    if (parts[1] === "subscription_items" && parts[2]) {
      const item = must(items, parts[2], "subscription_item");
      if (method === "POST") {
        const price = text(body.price);
        if (price) item.price = { id: price, object: "price" };
        if (text(body.quantity)) item.quantity = Number(text(body.quantity));
        item.metadata = { ...item.metadata, ...stringRecord(body.metadata) };
        return item;
      }
      if (method === "DELETE") {
        const remaining = [...items.values()].filter((other) => other.subscription === item.subscription && other.id !== item.id);
        if (remaining.length === 0) {
          throw new FakeError(400, "A subscription must have at least one active plan.", "parameter_invalid");
        }
        items.delete(item.id);
        return { id: item.id, object: "subscription_item", deleted: true };
      }
    }
    if (method === "GET" && path === "/v1/invoices") {
      const customer = query.get("customer");
      const limit = Number(query.get("limit") ?? "10");
      const data = [...invoices.values()]
        .filter((invoice) => !customer || invoice.customer === customer)
        .sort((a, b) => b.created - a.created)
        .slice(0, limit);
      return { object: "list", data, has_more: false, url: path };
    }
    throw new FakeError(404, `Unrecognized request URL (${method}: ${path}).`, "unrecognized_url");
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", baseUrl);
      const method = request.method ?? "GET";
      const body = parseStripeForm(Buffer.concat(chunks).toString("utf8"));
      requests.push({ method, path: url.pathname, body });
      const send = (status: number, payload: Json) => {
        response.writeHead(status, { "content-type": "application/json", "request-id": newId("req") });
        response.end(JSON.stringify(payload));
      };
      if (!/^Bearer sk_/.test(request.headers.authorization ?? "")) {
        send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
        return;
      }
      try {
        const key = request.headers["idempotency-key"];
        send(200, route(method, url.pathname, url.searchParams, body, typeof key === "string" ? key : null));
      } catch (error) {
        if (!(error instanceof FakeError)) throw error;
        send(error.status, { error: { type: "invalid_request_error", message: error.message, code: error.code } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    requests,
    customers,
    checkoutSessions,
    completeCheckout(sessionId) {
      const session = must(checkoutSessions, sessionId, "checkout.session");
      const customer = text(session.customer) ?? "";
      const subscription: FakeSubscription = {
        id: newId("sub"),
        object: "subscription",
        customer,
        status: "active",
        created: nowSeconds(),
        metadata: {},
      };
      subscriptions.set(subscription.id, subscription);
      const lines = Array.isArray(session.line_items) ? session.line_items : [];
      for (const line of lines) {
        const fields = stringRecord(line);
        createItem(subscription.id, fields.price ?? "", Number(fields.quantity ?? "1"), {});
      }
      createInvoice(customer, subscription.id, "paid");
      session.status = "complete";
      session.subscription = subscription.id;
      return { session: { ...session }, subscription: subscriptionView(subscription.id) };
    },
    subscription: subscriptionView,
    setSubscriptionStatus(id, status) {
      must(subscriptions, id, "subscription").status = status;
      return subscriptionView(id);
    },
    invoice(subscriptionId, outcome) {
      const subscription = must(subscriptions, subscriptionId, "subscription");
      return { ...createInvoice(subscription.customer, subscriptionId, outcome) };
    },
    event(type, object, createdSeconds = nowSeconds()) {
      const id = newId("evt");
      const event = {
        id,
        object: "event",
        api_version: Stripe.API_VERSION,
        created: createdSeconds,
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        data: { object },
      };
      return { id, payload: JSON.stringify(event) };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A webhook delivery as Stripe makes it: the payload, signed with the endpoint's secret. */
export function signedWebhookRequest(payload: string, secret: string, signatureOverride?: string): NextRequest {
  const signature = signatureOverride ?? Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return new NextRequest(new URL("/api/stripe/webhook", "http://localhost:3000"), {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
}
