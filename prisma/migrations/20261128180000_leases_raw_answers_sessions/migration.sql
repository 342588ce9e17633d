-- AlterTable
ALTER TABLE "responses" ADD COLUMN     "raw_answer" JSONB;

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "lease_token" TEXT,
ADD COLUMN     "lease_until" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "response_sessions" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "knowledge_store_id" TEXT NOT NULL,
    "upstream_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "response_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "response_sessions_upstream_id_key" ON "response_sessions"("upstream_id");

-- CreateIndex
CREATE INDEX "response_sessions_tenant_id_idx" ON "response_sessions"("tenant_id");

-- AddForeignKey
ALTER TABLE "response_sessions" ADD CONSTRAINT "response_sessions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "response_sessions" ADD CONSTRAINT "response_sessions_knowledge_store_id_fkey" FOREIGN KEY ("knowledge_store_id") REFERENCES "knowledge_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

