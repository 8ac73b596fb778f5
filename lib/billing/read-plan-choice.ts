import { z } from "zod";
import { planNames } from "@/lib/billing/plans";
import { readForm } from "@/lib/http/read-form";
import { isJsonContentType, readJson } from "@/lib/http/read-json";
import { validationError } from "@/lib/http/validation-error";

const planChoiceSchema = z.object({ plan: z.enum(planNames) });

/**
 * The plan a billing form or API client asks for: a form post (`plan=pro`) from the billing
 * page, or JSON (`{"plan":"pro"}`). 422 naming the plans when it is missing or unknown; 415
 * for any other body type; bodies capped like every other.
 */
export async function readPlanChoice(request: Request): Promise<z.infer<typeof planChoiceSchema>> {
  if (isJsonContentType(request.headers.get("content-type"))) return readJson(request, planChoiceSchema);
  const parsed = planChoiceSchema.safeParse(await readForm(request));
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
