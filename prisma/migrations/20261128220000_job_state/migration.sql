-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "state" JSONB;

