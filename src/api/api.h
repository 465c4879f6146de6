/* api.h: the JSON API handlers, one file per resource. Each parses and validates its input, calls one service
 * function, and replies; the route table (routes.c) says who may call it. */
#ifndef LTCI_API_H
#define LTCI_API_H

#include "http/http.h"

/* health.c */
int api_healthz(struct http_req *r);
int api_readyz(struct http_req *r);

/* session.c */
int api_session_create(struct http_req *r);
int api_session_delete(struct http_req *r);
int api_me(struct http_req *r);
int api_me_password(struct http_req *r);

/* meta.c */
int api_routes_list(struct http_req *r);
int api_roles(struct http_req *r);
int api_scheme(struct http_req *r);

/* users.c */
int api_users_list(struct http_req *r);
int api_users_create(struct http_req *r);
int api_users_get(struct http_req *r);
int api_users_update(struct http_req *r);
int api_users_password(struct http_req *r);
int api_users_unlock(struct http_req *r);

/* areas.c */
int api_areas_list(struct http_req *r);
int api_areas_get(struct http_req *r);
int api_areas_create(struct http_req *r);
int api_areas_update(struct http_req *r);
int api_areas_delete(struct http_req *r);

/* tokens.c */
int api_tokens_list(struct http_req *r);
int api_tokens_create(struct http_req *r);
int api_tokens_revoke(struct http_req *r);

/* audit.c */
int api_audit_list(struct http_req *r);
int api_audit_verify(struct http_req *r);

/* persons.c */
int api_persons_list(struct http_req *r);
int api_persons_get(struct http_req *r);
int api_persons_create(struct http_req *r);
int api_persons_update(struct http_req *r);
int api_persons_enrol(struct http_req *r);
int api_persons_death(struct http_req *r);
int api_persons_stay(struct http_req *r);

/* fund.c */
int api_contribution_run(struct http_req *r);
int api_fund_summary(struct http_req *r);
int api_fund_ledger(struct http_req *r);

/* imports.c */
int api_imports_create(struct http_req *r);
int api_imports_list(struct http_req *r);
int api_imports_get(struct http_req *r);
int api_imports_rejects(struct http_req *r);

/* applications.c */
int api_assessment_form(struct http_req *r);
int api_applications_list(struct http_req *r);
int api_applications_create(struct http_req *r);
int api_applications_get(struct http_req *r);
int api_applications_material(struct http_req *r);
int api_applications_material_get(struct http_req *r);
int api_applications_prescreen(struct http_req *r);
int api_applications_withdraw(struct http_req *r);
int api_applications_assign(struct http_req *r);
int api_applications_assess(struct http_req *r);
int api_applications_review(struct http_req *r);
int api_applications_confirm(struct http_req *r);
int api_applications_certify(struct http_req *r);
int api_applications_draws(struct http_req *r);
int api_assessors_list(struct http_req *r);
int api_assessors_create(struct http_req *r);
int api_assessors_update(struct http_req *r);
int api_certifications_list(struct http_req *r);
int api_shared_certifications(struct http_req *r);
int api_followups_draw(struct http_req *r);
int api_followups_list(struct http_req *r);
int api_followups_record(struct http_req *r);
int api_assessment_stats(struct http_req *r);
int api_notices_list(struct http_req *r);

/* Which routes a role may call, as ["GET /api/v1/users", ...] (for the web app's menu). */
json_t *api_allowed_routes(enum role role, enum actor_kind kind);

/* care.c */
int api_providers_list(struct http_req *r);
int api_providers_get(struct http_req *r);
int api_providers_create(struct http_req *r);
int api_providers_update(struct http_req *r);
int api_providers_status(struct http_req *r);
int api_providers_handover(struct http_req *r);
int api_agreements_create(struct http_req *r);
int api_agreements_update(struct http_req *r);
int api_agreements_terminate(struct http_req *r);
int api_caregivers_list(struct http_req *r);
int api_caregivers_get(struct http_req *r);
int api_caregivers_create(struct http_req *r);
int api_caregivers_update(struct http_req *r);
int api_caregivers_certificate(struct http_req *r);
int api_caregivers_move(struct http_req *r);
int api_caregivers_status(struct http_req *r);
int api_caregivers_qualification(struct http_req *r);
int api_caregivers_stats(struct http_req *r);
int api_care_catalogue(struct http_req *r);
int api_care_plans_check(struct http_req *r);
int api_care_plans_list(struct http_req *r);
int api_care_plans_get(struct http_req *r);
int api_care_plans_create(struct http_req *r);
int api_care_plans_update(struct http_req *r);
int api_care_plans_confirm(struct http_req *r);
int api_care_plans_cancel(struct http_req *r);
int api_care_plans_end(struct http_req *r);
int api_persons_provider_options(struct http_req *r);
int api_users_persons(struct http_req *r);

/* visits.c */
int api_visits_rules(struct http_req *r);
int api_plan_patterns_set(struct http_req *r);
int api_plan_patterns_get(struct http_req *r);
int api_visits_schedule(struct http_req *r);
int api_visits_create(struct http_req *r);
int api_visits_list(struct http_req *r);
int api_visits_get(struct http_req *r);
int api_visits_plans_today(struct http_req *r);
int api_visits_reassign(struct http_req *r);
int api_visits_cancel(struct http_req *r);
int api_visits_explain(struct http_req *r);
int api_visits_decide(struct http_req *r);
int api_visits_unlock(struct http_req *r);
int api_visits_correct(struct http_req *r);
int api_visits_checkin(struct http_req *r);
int api_visits_checkout(struct http_req *r);
int api_visits_audio(struct http_req *r);
int api_visits_map(struct http_req *r);
int api_visits_exception_summary(struct http_req *r);
int api_visits_audio_get(struct http_req *r);

#include "api/api_feedback.h"
#include "api/api_settle.h"

#endif
