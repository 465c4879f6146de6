/* routes.c: the route table: every route the server answers, who may call it, what input it accepts. The route
 * x role test (tests/api/test_roles.py) holds its own copy of the expected roles and fails if this table and that
 * copy ever differ. */
#include "api/api.h"

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define AUDIT_READERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR))
#define ANYONE ROLES_ALL
#define BUREAU ROLE_BIT(ROLE_BUREAU)
#define REGISTRY_WRITERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_INTAKE))
#define REGISTRY_READERS                                                                                          \
	(ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_INTAKE) | ROLE_BIT(ROLE_COORDINATOR) |       \
	 ROLE_BIT(ROLE_ASSESSOR) | ROLE_BIT(ROLE_EXPERT) | ROLE_BIT(ROLE_COMMITTEE) | ROLE_BIT(ROLE_NURSE))
#define FUND_READERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR))
#define INTAKE (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_INTAKE))
#define CASE_READERS                                                                                              \
	(ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_INTAKE) | ROLE_BIT(ROLE_COORDINATOR) |       \
	 ROLE_BIT(ROLE_ASSESSOR) | ROLE_BIT(ROLE_EXPERT) | ROLE_BIT(ROLE_COMMITTEE))
#define FIELD_STAFF (ROLE_BIT(ROLE_ASSESSOR) | ROLE_BIT(ROLE_EXPERT))
#define COMMITTEE ROLE_BIT(ROLE_COMMITTEE)
#define CONFIRMERS (ROLE_BIT(ROLE_EXPERT) | ROLE_BIT(ROLE_COMMITTEE))
#define POOL_READERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_COMMITTEE))
#define CERT_READERS                                                                                              \
	(ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_INTAKE) | ROLE_BIT(ROLE_COORDINATOR) |       \
	 ROLE_BIT(ROLE_COMMITTEE) | ROLE_BIT(ROLE_NURSE))
#define DEPT ROLE_BIT(ROLE_DEPT)
#define FOLLOWUP_READERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_COORDINATOR))
#define FOLLOWUP_WRITERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_COORDINATOR))
#define CAREGIVER_READERS                                                                                         \
	(ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_NURSE) | ROLE_BIT(ROLE_COORDINATOR) |        \
	 ROLE_BIT(ROLE_PROVIDER_ADMIN))
#define CAREGIVER_WRITERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_PROVIDER_ADMIN))
#define CAREGIVER_CREATORS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_PROVIDER_ADMIN) | ROLE_BIT(ROLE_NURSE))
#define WORKFORCE_READERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_PROVIDER_ADMIN))
#define PLAN_WRITERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_NURSE))
#define PLAN_CONFIRMERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_NURSE) | ROLE_BIT(ROLE_APPLICANT))
#define PLAN_READERS                                                                                              \
	(ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_NURSE) | ROLE_BIT(ROLE_COORDINATOR) |        \
	 ROLE_BIT(ROLE_PROVIDER_ADMIN) | ROLE_BIT(ROLE_APPLICANT))
#define OPTION_READERS                                                                                            \
	(ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_NURSE) | ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_APPLICANT))
#define PROVIDER_ADMINS ROLE_BIT(ROLE_PROVIDER_ADMIN)
#define SCHEDULERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_PROVIDER_ADMIN))
#define CAREGIVER ROLE_BIT(ROLE_CAREGIVER)
#define VISIT_READERS                                                                                             \
	(ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_NURSE) | ROLE_BIT(ROLE_COORDINATOR) |        \
	 ROLE_BIT(ROLE_PROVIDER_ADMIN) | ROLE_BIT(ROLE_CAREGIVER) | ROLE_BIT(ROLE_APPLICANT))
#define PATTERN_READERS                                                                                           \
	(ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_NURSE) | ROLE_BIT(ROLE_COORDINATOR) |        \
	 ROLE_BIT(ROLE_PROVIDER_ADMIN))
/* visit recordings: the bureau and auditors (their area), provider staff (their provider's visits) */
#define AUDIO_READERS (ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_PROVIDER_ADMIN))
#define STATS_READERS                                                                                             \
	(ROLE_BIT(ROLE_BUREAU) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_COMMITTEE))

static const char *const q_users[] = {"q", "role", "status", "page", "page_size", NULL};
static const char *const q_areas[] = {"parent_id", "level", "q", NULL};
static const char *const q_page[] = {"page", "page_size", NULL};
static const char *const q_persons[] = {"name", "id", "phone", "area_id", "status", "page", "page_size", NULL};
static const char *const q_year[] = {"year", NULL};
static const char *const q_ledger[] = {"kind", "from", "to", "page", "page_size", NULL};
static const char *const q_upload[] = {"kind", "filename", NULL};
static const char *const q_apps[] = {"status", "type", "person_id", "area_id", "q", "overdue", "mine", "page",
				    "page_size", NULL};
static const char *const q_material[] = {"kind", "filename", NULL};
static const char *const q_certs[] = {"status", "person_id", "expiring_within", "qualifying", "page", "page_size",
				      NULL};
static const char *const q_shared[] = {"scale", "since", "page", "page_size", NULL};
static const char *const q_followups[] = {"sample_id", "page", "page_size", NULL};
static const char *const q_stats[] = {"from", "to", NULL};
static const char *const q_notices[] = {"status", "ref_id", "page", "page_size", NULL};
static const char *const q_providers[] = {"q", "kind", "status", "area_id", "mode", "page", "page_size", NULL};
static const char *const q_caregivers[] = {"q", "provider_id", "kind", "status", "person_id", "expiring_within",
					   "page", "page_size", NULL};
static const char *const q_qualification[] = {"date", "provider_id", NULL};
static const char *const q_provider_id[] = {"provider_id", NULL};
static const char *const q_plans[] = {"status", "person_id", "provider_id", "mode", "page", "page_size", NULL};
static const char *const q_mode[] = {"mode", NULL};
static const char *const q_visits[] = {"from", "to", "caregiver_id", "provider_id", "person_id", "plan_id", "status",
				       "verify_state", "review_state", "reason", "mine", "page", "page_size", NULL};
static const char *const q_visit_summary[] = {"from", "to", "provider_id", NULL};
static const char *const q_seconds[] = {"seconds", NULL};
static const char *const q_map[] = {"date", "provider_id", NULL};
static const char *const q_audit[] = {"user_id", "username", "action", "target_type", "target_id", "outcome",
				      "from", "to", "page", "page_size", NULL};

const struct route api_routes[] = {
	{"GET", "/healthz", 0, ROUTE_PUBLIC, NULL, NULL, api_healthz, "进程存活检查"},
	{"GET", "/readyz", 0, ROUTE_PUBLIC, NULL, NULL, api_readyz, "就绪检查（数据库可用且结构版本一致）"},

	{"POST", "/api/v1/session", 0, ROUTE_PUBLIC | ROUTE_BODY, "session.login", NULL, api_session_create, "登录"},
	{"DELETE", "/api/v1/session", ANYONE, ROUTE_SESSION_ONLY | ROUTE_PRE_PASSWORD, "session.logout", NULL,
	 api_session_delete, "退出登录"},
	{"GET", "/api/v1/me", ANYONE, ROUTE_PRE_PASSWORD, NULL, NULL, api_me, "当前用户、角色、可用接口"},
	{"PUT", "/api/v1/me/password", ANYONE, ROUTE_SESSION_ONLY | ROUTE_PRE_PASSWORD | ROUTE_BODY,
	 "user.password.change", NULL, api_me_password, "修改本人密码"},

	{"GET", "/api/v1/routes", ADMIN, 0, NULL, NULL, api_routes_list, "接口清单及其角色"},
	{"GET", "/api/v1/roles", ANYONE, 0, NULL, NULL, api_roles, "角色清单"},
	{"GET", "/api/v1/scheme", ANYONE, 0, NULL, NULL, api_scheme, "当前保障方案摘要"},

	{"GET", "/api/v1/users", ADMIN, 0, NULL, q_users, api_users_list, "用户列表"},
	{"POST", "/api/v1/users", ADMIN, ROUTE_BODY, "user.create", NULL, api_users_create, "新建用户"},
	{"GET", "/api/v1/users/:id", ADMIN, 0, NULL, NULL, api_users_get, "用户详情"},
	{"PATCH", "/api/v1/users/:id", ADMIN, ROUTE_BODY, "user.update", NULL, api_users_update,
	 "修改用户（姓名、角色、权限范围、状态）"},
	{"POST", "/api/v1/users/:id/password", ADMIN, ROUTE_BODY, "user.password.reset", NULL, api_users_password,
	 "重置用户密码"},
	{"POST", "/api/v1/users/:id/unlock", ADMIN, 0, "user.unlock", NULL, api_users_unlock, "解除登录锁定"},

	{"GET", "/api/v1/areas", ANYONE, 0, NULL, q_areas, api_areas_list, "区域列表"},
	{"POST", "/api/v1/areas", ADMIN, ROUTE_BODY, "area.create", NULL, api_areas_create, "新建区域"},
	{"GET", "/api/v1/areas/:id", ANYONE, 0, NULL, NULL, api_areas_get, "区域详情"},
	{"PATCH", "/api/v1/areas/:id", ADMIN, ROUTE_BODY, "area.update", NULL, api_areas_update, "修改区域"},
	{"DELETE", "/api/v1/areas/:id", ADMIN, 0, "area.delete", NULL, api_areas_delete, "删除区域"},

	{"GET", "/api/v1/tokens", ADMIN, 0, NULL, NULL, api_tokens_list, "接口令牌列表"},
	{"POST", "/api/v1/tokens", ADMIN, ROUTE_SESSION_ONLY | ROUTE_BODY, "token.create", NULL, api_tokens_create,
	 "新建接口令牌"},
	{"DELETE", "/api/v1/tokens/:id", ADMIN, ROUTE_SESSION_ONLY, "token.revoke", NULL, api_tokens_revoke,
	 "吊销接口令牌"},

	{"GET", "/api/v1/persons", REGISTRY_READERS, 0, NULL, q_persons, api_persons_list, "参保人检索（脱敏）"},
	{"POST", "/api/v1/persons", REGISTRY_WRITERS, ROUTE_BODY, "person.create", NULL, api_persons_create,
	 "登记参保人"},
	{"GET", "/api/v1/persons/:id", REGISTRY_READERS, 0, NULL, NULL, api_persons_get, "参保人完整信息（记入审计）"},
	{"PATCH", "/api/v1/persons/:id", REGISTRY_WRITERS, ROUTE_BODY, "person.update", NULL, api_persons_update,
	 "修改参保人联系信息、住址、联系人"},
	{"POST", "/api/v1/persons/:id/enrolments", BUREAU, ROUTE_BODY, "enrolment.create", NULL, api_persons_enrol,
	 "新增参保登记记录"},
	{"PUT", "/api/v1/persons/:id/death", BUREAU, ROUTE_BODY, "person.death", NULL, api_persons_death,
	 "登记或更正死亡日期"},
	{"POST", "/api/v1/persons/:id/hospital-stays", BUREAU, ROUTE_BODY, "person.hospital_stay", NULL,
	 api_persons_stay, "登记住院记录"},

	{"POST", "/api/v1/contributions/runs", BUREAU, ROUTE_BODY, "contributions.run", NULL, api_contribution_run,
	 "核定年度筹资并记入基金"},
	{"GET", "/api/v1/fund/summary", FUND_READERS, 0, NULL, q_year, api_fund_summary, "基金收支概况"},
	{"GET", "/api/v1/fund/ledger", FUND_READERS, 0, NULL, q_ledger, api_fund_ledger, "基金明细账"},

	{"POST", "/api/v1/imports", BUREAU, ROUTE_UPLOAD, "import.upload", q_upload, api_imports_create,
	 "上传CSV批量导入"},
	{"GET", "/api/v1/imports", FUND_READERS, 0, NULL, q_page, api_imports_list, "导入任务列表"},
	{"GET", "/api/v1/imports/:id", FUND_READERS, 0, NULL, NULL, api_imports_get, "导入任务进度"},
	{"GET", "/api/v1/imports/:id/rejects", FUND_READERS, 0, NULL, NULL, api_imports_rejects,
	 "下载被拒绝的记录"},

	{"GET", "/api/v1/assessment/form", ANYONE, 0, NULL, NULL, api_assessment_form, "评估标准（项目、分值说明、自评）"},
	{"GET", "/api/v1/applications", CASE_READERS, 0, NULL, q_apps, api_applications_list,
	 "申请列表（状态、超期、我的评估任务）"},
	{"POST", "/api/v1/applications", INTAKE, ROUTE_BODY, "application.submit", NULL, api_applications_create,
	 "受理评估申请"},
	{"GET", "/api/v1/applications/:id", CASE_READERS, 0, NULL, NULL, api_applications_get, "申请详情及初筛检查"},
	{"POST", "/api/v1/applications/:id/materials", INTAKE, ROUTE_UPLOAD | ROUTE_FILE, "application.material",
	 q_material, api_applications_material, "上传申请材料（PDF、JPEG、PNG）"},
	{"GET", "/api/v1/applications/:id/materials/:mid", CASE_READERS, 0, NULL, NULL,
	 api_applications_material_get, "下载申请材料"},
	{"POST", "/api/v1/applications/:id/prescreen", INTAKE, ROUTE_BODY, "application.prescreen", NULL,
	 api_applications_prescreen, "初筛结论（受理或不予受理）"},
	{"POST", "/api/v1/applications/:id/withdraw", INTAKE, ROUTE_BODY, "application.withdraw", NULL,
	 api_applications_withdraw, "撤回申请"},
	{"POST", "/api/v1/applications/:id/assign", BUREAU, 0, "application.assign", NULL, api_applications_assign,
	 "随机抽取评估专家和评估员"},
	{"GET", "/api/v1/applications/:id/draws", CASE_READERS, 0, NULL, NULL, api_applications_draws,
	 "抽取记录（种子、候选名单、复现）"},
	{"POST", "/api/v1/applications/:id/assessment", FIELD_STAFF, ROUTE_BODY, "assessment.submit", NULL,
	 api_applications_assess, "提交现场评估结果"},
	{"POST", "/api/v1/applications/:id/review", COMMITTEE, ROUTE_BODY, "review.decide", NULL,
	 api_applications_review, "评估委员会审核"},
	{"POST", "/api/v1/applications/:id/confirm", CONFIRMERS, 0, "conclusion.confirm", NULL,
	 api_applications_confirm, "专家确认评估结论"},
	{"POST", "/api/v1/applications/:id/certify", BUREAU, 0, "application.certify", NULL, api_applications_certify,
	 "公示期满认定"},
	{"GET", "/api/v1/assessors", POOL_READERS, 0, NULL, NULL, api_assessors_list, "评估专家库"},
	{"POST", "/api/v1/assessors", BUREAU, ROUTE_BODY, "assessor.create", NULL, api_assessors_create,
	 "评估专家库：新增"},
	{"PATCH", "/api/v1/assessors/:id", BUREAU, ROUTE_BODY, "assessor.update", NULL, api_assessors_update,
	 "评估专家库：修改"},
	{"GET", "/api/v1/certifications", CERT_READERS, 0, NULL, q_certs, api_certifications_list,
	 "评估结论及到期提醒"},
	{"GET", "/api/v1/shared/certifications", DEPT, 0, NULL, q_shared, api_shared_certifications,
	 "多评合一：部门读取认定结果"},
	{"POST", "/api/v1/followups/samples", BUREAU, ROUTE_BODY, "followup.draw", NULL, api_followups_draw,
	 "抽取回访对象"},
	{"GET", "/api/v1/followups", FOLLOWUP_READERS, 0, NULL, q_followups, api_followups_list, "回访抽查名单"},
	{"PATCH", "/api/v1/followups/:id", FOLLOWUP_WRITERS, ROUTE_BODY, "followup.record", NULL,
	 api_followups_record, "记录回访结果"},
	{"GET", "/api/v1/assessment/stats", STATS_READERS, 0, NULL, q_stats, api_assessment_stats,
	 "评估统计（按街道、月份）"},
	{"GET", "/api/v1/notices", FUND_READERS, 0, NULL, q_notices, api_notices_list, "通知发件箱"},

	{"GET", "/api/v1/providers", ANYONE, 0, NULL, q_providers, api_providers_list, "定点护理机构名录"},
	{"POST", "/api/v1/providers", BUREAU, ROUTE_BODY, "provider.create", NULL, api_providers_create, "新增定点护理机构"},
	{"GET", "/api/v1/providers/:id", ANYONE, 0, NULL, NULL, api_providers_get, "护理机构详情（协议、状态记录）"},
	{"PATCH", "/api/v1/providers/:id", BUREAU, ROUTE_BODY, "provider.update", NULL, api_providers_update,
	 "修改护理机构信息"},
	{"POST", "/api/v1/providers/:id/status", BUREAU, ROUTE_BODY, "provider.status", NULL, api_providers_status,
	 "护理机构状态（暂停接收新服务对象、暂停服务、终止）"},
	{"GET", "/api/v1/providers/:id/handover", FUND_READERS, 0, NULL, NULL, api_providers_handover,
	 "终止协议机构的服务对象移交名单"},
	{"POST", "/api/v1/providers/:id/agreements", BUREAU, ROUTE_BODY, "agreement.create", NULL, api_agreements_create,
	 "签订服务协议"},
	{"PATCH", "/api/v1/agreements/:id", BUREAU, ROUTE_BODY, "agreement.update", NULL, api_agreements_update,
	 "修改服务协议（期限、容量、服务区域、服务方式）"},
	{"POST", "/api/v1/agreements/:id/terminate", BUREAU, ROUTE_BODY, "agreement.terminate", NULL,
	 api_agreements_terminate, "终止服务协议"},

	{"GET", "/api/v1/caregivers", CAREGIVER_READERS, 0, NULL, q_caregivers, api_caregivers_list, "护理员名册（脱敏）"},
	{"POST", "/api/v1/caregivers", CAREGIVER_CREATORS, ROUTE_BODY, "caregiver.create", NULL, api_caregivers_create,
	 "登记护理员或亲情护理员"},
	{"GET", "/api/v1/caregivers/stats", WORKFORCE_READERS, 0, NULL, q_provider_id, api_caregivers_stats,
	 "护理队伍统计"},
	{"GET", "/api/v1/caregivers/:id", CAREGIVER_READERS, 0, NULL, NULL, api_caregivers_get,
	 "护理员完整信息（记入审计）"},
	{"PATCH", "/api/v1/caregivers/:id", CAREGIVER_WRITERS, ROUTE_BODY, "caregiver.update", NULL,
	 api_caregivers_update, "修改护理员信息"},
	{"POST", "/api/v1/caregivers/:id/certificates", CAREGIVER_WRITERS, ROUTE_BODY, "caregiver.certificate", NULL,
	 api_caregivers_certificate, "登记护理员证书"},
	{"POST", "/api/v1/caregivers/:id/employment", CAREGIVER_WRITERS, ROUTE_BODY, "caregiver.move", NULL,
	 api_caregivers_move, "护理员变更所属机构"},
	{"POST", "/api/v1/caregivers/:id/status", BUREAU, ROUTE_BODY, "caregiver.status", NULL, api_caregivers_status,
	 "护理员暂停结算、恢复、解除"},
	{"GET", "/api/v1/caregivers/:id/qualification", CAREGIVER_READERS, 0, NULL, q_qualification,
	 api_caregivers_qualification, "护理员某日是否具备服务资格"},

	{"GET", "/api/v1/care/catalogue", ANYONE, 0, NULL, NULL, api_care_catalogue, "服务项目目录及待遇标准"},
	{"POST", "/api/v1/care-plans/check", PLAN_WRITERS, ROUTE_BODY | ROUTE_READONLY, NULL, NULL, api_care_plans_check,
	 "按待遇标准校验护理计划（不保存）"},
	{"GET", "/api/v1/care-plans", PLAN_READERS, 0, NULL, q_plans, api_care_plans_list, "护理计划列表"},
	{"POST", "/api/v1/care-plans", PLAN_WRITERS, ROUTE_BODY, "care_plan.draft", NULL, api_care_plans_create,
	 "制定护理计划（草稿）"},
	{"GET", "/api/v1/care-plans/:id", PLAN_READERS, 0, NULL, NULL, api_care_plans_get, "护理计划详情"},
	{"PUT", "/api/v1/care-plans/:id", PLAN_WRITERS, ROUTE_BODY, "care_plan.update", NULL, api_care_plans_update,
	 "修改护理计划草稿"},
	{"POST", "/api/v1/care-plans/:id/confirm", PLAN_CONFIRMERS, ROUTE_BODY, "care_plan.confirm", NULL,
	 api_care_plans_confirm, "参保人或代理人确认护理计划"},
	{"POST", "/api/v1/care-plans/:id/cancel", PLAN_WRITERS, ROUTE_BODY, "care_plan.cancel", NULL,
	 api_care_plans_cancel, "作废未生效的护理计划"},
	{"POST", "/api/v1/care-plans/:id/end", PLAN_WRITERS, ROUTE_BODY, "care_plan.end", NULL, api_care_plans_end,
	 "终止执行中的护理计划"},
	{"GET", "/api/v1/persons/:id/provider-options", OPTION_READERS, 0, NULL, q_mode, api_persons_provider_options,
	 "参保人可选择的护理机构"},
	{"PUT", "/api/v1/users/:id/persons", ADMIN, ROUTE_BODY, "user.persons", NULL, api_users_persons,
	 "家属账号关联的参保人"},

	{"GET", "/api/v1/visits/rules", ANYONE, 0, NULL, NULL, api_visits_rules, "上门服务核验规则"},
	{"GET", "/api/v1/care-plans/:id/patterns", PATTERN_READERS, 0, NULL, NULL, api_plan_patterns_get,
	 "护理计划的每周服务安排"},
	{"PUT", "/api/v1/care-plans/:id/patterns", SCHEDULERS, ROUTE_BODY, "visit.patterns", NULL, api_plan_patterns_set,
	 "设置每周服务安排"},
	{"POST", "/api/v1/visits/schedule", SCHEDULERS, ROUTE_BODY, "visit.schedule", NULL, api_visits_schedule,
	 "按每周安排生成排班"},
	{"POST", "/api/v1/visits/checkin", CAREGIVER, ROUTE_BODY, "visit.checkin", NULL, api_visits_checkin,
	 "护理员签到（可离线补传）"},
	{"POST", "/api/v1/visits/checkout", CAREGIVER, ROUTE_BODY, "visit.checkout", NULL, api_visits_checkout,
	 "护理员签退并核验"},
	/* literal paths before /api/v1/visits/:id */
	{"GET", "/api/v1/visits/map", FUND_READERS, 0, NULL, q_map, api_visits_map, "当日服务地图"},
	{"GET", "/api/v1/visits/plans-today", CAREGIVER, 0, NULL, NULL, api_visits_plans_today,
	 "护理员今日可临时上门的护理计划（无排班签到）"},
	{"GET", "/api/v1/visits/exceptions/summary", PATTERN_READERS, 0, NULL, q_visit_summary,
	 api_visits_exception_summary, "核验异常统计（按审核状态、按异常原因）"},
	{"GET", "/api/v1/visits", VISIT_READERS, 0, NULL, q_visits, api_visits_list, "服务记录"},
	{"POST", "/api/v1/visits", SCHEDULERS, ROUTE_BODY, "visit.create", NULL, api_visits_create, "安排一次上门服务"},
	{"GET", "/api/v1/visits/:id", VISIT_READERS, 0, NULL, NULL, api_visits_get, "服务记录详情"},
	{"PATCH", "/api/v1/visits/:id", SCHEDULERS, ROUTE_BODY, "visit.correct", NULL, api_visits_correct,
	 "更正服务记录（锁定前或解锁后）"},
	{"POST", "/api/v1/visits/:id/reassign", SCHEDULERS, ROUTE_BODY, "visit.reassign", NULL, api_visits_reassign,
	 "改派护理员"},
	{"POST", "/api/v1/visits/:id/cancel", SCHEDULERS, ROUTE_BODY, "visit.cancel", NULL, api_visits_cancel,
	 "取消排班"},
	{"POST", "/api/v1/visits/:id/audio", CAREGIVER, ROUTE_UPLOAD | ROUTE_AUDIO, "visit.audio", q_seconds,
	 api_visits_audio, "上传服务全程录音"},
	{"GET", "/api/v1/visits/:id/audio", AUDIO_READERS, 0, NULL, NULL, api_visits_audio_get,
	 "下载服务录音（记入审计）"},
	{"POST", "/api/v1/visits/:id/explain", PROVIDER_ADMINS, ROUTE_BODY, "visit.explain", NULL, api_visits_explain,
	 "机构说明异常"},
	{"POST", "/api/v1/visits/:id/decision", BUREAU, ROUTE_BODY, "visit.decide", NULL, api_visits_decide,
	 "经办审核异常"},
	{"POST", "/api/v1/visits/:id/unlock", BUREAU, ROUTE_BODY, "visit.unlock", NULL, api_visits_unlock,
	 "解锁已锁定的服务记录"},

#include "api/routes_feedback.inc"
#include "api/routes_settle.inc"

	{"GET", "/api/v1/audit", AUDIT_READERS, 0, NULL, q_audit, api_audit_list, "审计日志查询"},
	{"GET", "/api/v1/audit/verify", AUDIT_READERS, 0, NULL, NULL, api_audit_verify, "校验审计日志哈希链"},
};

const int api_route_count = (int)(sizeof api_routes / sizeof api_routes[0]);
