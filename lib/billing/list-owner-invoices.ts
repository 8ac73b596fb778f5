import { z } from "zod";
import { stripeClient } from "@/lib/billing/stripe-client";
import { db } from "@/lib/db/client";
import type { TenantAccess } from "@/lib/tenants/tenant-access";

const invoiceSchema = z.object({
  id: z.string(),
  number: z.string().nullish(),
  created: z.number().int(),
  currency: z.string(),
  amount_due: z.number().int(),
  amount_paid: z.number().int(),
  status: z.string().nullish(),
  hosted_invoice_url: z.string().nullish(),
});

export interface InvoiceLine {
  id: string;
  number: string | null;
  createdAt: Date;
  currency: string;
  amountDueCents: number;
  amountPaidCents: number;
  status: string;
  url: string | null;
}

/**
 * The latest Stripe invoices of a direct app's owner (one invoice covers all their apps, so
 * only the owner sees them). Empty for add-on apps, other members and owners not yet billed.
 */
export async function listOwnerInvoices(access: TenantAccess, limit = 12): Promise<InvoiceLine[]> {
  if (access.tenant.channel !== "direct") return [];
  const customer = await db.stripeCustomer.findFirst({
    where: { user: { id: access.session.sub, memberships: { some: { tenantId: access.tenant.id, role: "owner" } } } },
    select: { customerId: true },
  });
  if (!customer) return [];
  const page = await stripeClient().invoices.list({ customer: customer.customerId, limit });
  return page.data.map((raw) => {
    const invoice = invoiceSchema.parse(raw);
    return {
      id: invoice.id,
      number: invoice.number ?? null,
      createdAt: new Date(invoice.created * 1000),
      currency: invoice.currency,
      amountDueCents: invoice.amount_due,
      amountPaidCents: invoice.amount_paid,
      status: invoice.status ?? "draft",
      url: invoice.hosted_invoice_url ?? null,
    };
  });
}
