export { PageLoading as default } from "@/app/components/page-loading";
