import type { NextRequest } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { describeZodError } from "@/lib/http/handle";
import { planNames } from "@/lib/billing/plans";

const planChoiceSchema = z.object({ plan: z.enum(planNames) });

/**
 * The plan a billing form or API client asks for: a form post (`plan=pro`) from the billing
 * page, or JSON (`{"plan":"pro"}`). 422 naming the plans when it is missing or unknown.
 */
export async function readPlanChoice(request: NextRequest): Promise<z.infer<typeof planChoiceSchema>> {
  const type = request.headers.get("content-type") ?? "";
  let body: unknown;
  try {
    body = type.includes("application/json") ? await request.json() : Object.fromEntries(await request.formData());
  } catch {
    throw new AppError("bad_request", "Send the plan as a form field or a JSON body");
  }
  const parsed = planChoiceSchema.safeParse(body);
  if (!parsed.success) throw new AppError("invalid_params", describeZodError(parsed.error));
  return parsed.data;
}
