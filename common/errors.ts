/**
 * The one catalogue of coded errors: HTTP status and the message in zh-CN and English.
 * Server code throws `AppError(code)`; the web may switch on `code`.
 */
import { MEDIA_ERRORS } from './media.js';

export const ERRORS = {
  VALIDATION_FAILED: {
    status: 400,
    zh: '提交的内容有误，请检查标出的字段',
    en: 'The request is invalid; see the fields',
  },
  MALFORMED_JSON: { status: 400, zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容过大', en: 'The request body is too large' },
  NOT_FOUND: { status: 404, zh: '未找到该记录，或您无权查看', en: 'Not found, or not within your scope' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持此请求方法', en: 'Method not allowed' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账号已暂时锁定，请稍后再试',
    en: 'Too many failed sign-ins; the account is locked for a while',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; please wait and try again' },
  CSRF_INVALID: {
    status: 403,
    zh: '安全校验失败，请刷新页面后重试',
    en: 'Security check failed (CSRF); reload the page and try again',
  },
  FORBIDDEN: { status: 403, zh: '您没有执行此操作的权限', en: 'You are not allowed to do this' },
  PASSWORD_WEAK: {
    status: 422,
    zh: '新密码至少 10 位，且须同时包含字母和数字',
    en: 'The new password needs at least 10 characters with letters and digits',
  },
  PASSWORD_REUSED: {
    status: 422,
    zh: '新密码不能与当前密码相同',
    en: 'The new password must differ from the current one',
  },
  UNIT_CODE_INVALID: { status: 422, zh: '区划代码格式不正确', en: 'The division code is not valid' },
  UNIT_CODE_DUPLICATE: { status: 409, zh: '区划代码已存在', en: 'A unit with this code already exists' },
  UNIT_PARENT_INVALID: {
    status: 422,
    zh: '上级单位不存在或与代码不符',
    en: 'The parent unit does not exist or does not match the code',
  },
  UNIT_GEOMETRY_INVALID: { status: 422, zh: '边界图形无效', en: 'The boundary geometry is invalid' },
  UNIT_OUTSIDE_PARENT: { status: 422, zh: '边界超出上级单位范围', en: 'The boundary lies outside the parent unit' },
  UNIT_OVERLAP: {
    status: 422,
    zh: '单元网格与同一社区内的其他网格重叠',
    en: 'The unit grid overlaps another grid of the same community',
  },
  UNIT_HAS_CHILDREN: { status: 409, zh: '该单位下仍有下级单位', en: 'The unit still has children' },
  IMPORT_INVALID: {
    status: 422,
    zh: '导入文件有错误，未导入任何内容',
    en: 'The import file has errors; nothing was imported',
  },
  IMPORT_FORMAT: {
    status: 415,
    zh: '无法识别的导入文件，请使用 GeoJSON 或 XLSX',
    en: 'Unrecognised import file; use GeoJSON or XLSX',
  },
  DEPARTMENT_CODE_DUPLICATE: { status: 409, zh: '部门代码已存在', en: 'A department with this code already exists' },
  USERNAME_TAKEN: { status: 409, zh: '用户名已被使用', en: 'This username is taken' },
  GRANT_OUTSIDE_SCOPE: {
    status: 403,
    zh: '不能授予超出您本人权限范围的角色或辖区',
    en: 'You cannot grant a role or scope beyond your own',
  },
  GRANT_DEPARTMENT_REQUIRED: {
    status: 422,
    zh: '部门处置人员必须指定所属部门（其他角色不可指定部门）',
    en: 'A department handler needs a department (other roles take none)',
  },
  GRANT_DUPLICATE: { status: 409, zh: '该授权已存在', en: 'This grant already exists' },
  CATEGORY_UNKNOWN: { status: 422, zh: '案件类别不存在或已停用', en: 'Unknown or disabled case category' },
  CATEGORY_ANSWERS_INVALID: {
    status: 422,
    zh: '补充问题的回答有误：必答题须回答，选项须在所列之中',
    en: "The answers to the category's extra questions are invalid: answer the required ones, pick offered values",
  },
  CATEGORY_CODE_INVALID: {
    status: 422,
    zh: '类别代码须为 4 位数字：2 位大类 + 2 位小类（小类 00 表示大类本身，大类不能为 00）',
    en: 'A category code is 4 digits: 2 for the major, 2 for the minor (minor 00 is the major itself; major 00 does not exist)',
  },
  CATEGORY_CODE_DUPLICATE: { status: 409, zh: '类别代码已存在', en: 'A category with this code already exists' },
  CATEGORY_CODE_IMMUTABLE: {
    status: 422,
    zh: '类别代码创建后不能修改，请新建类别并停用旧类别',
    en: 'A category code cannot change; create a new category and disable the old one',
  },
  CATEGORY_MAJOR_INVALID: {
    status: 422,
    zh: '请先建立所属大类，小类的部件/事件属性须与大类一致',
    en: 'Create the major first; a minor has the same kind (component or event) as its major',
  },
  TIME_LIMIT_INVALID: {
    status: 422,
    zh: '时限有误：每个紧急程度和环节只能设置一次，且不能超过上限',
    en: 'Invalid time limits: each urgency and stage at most once, and within the maximum',
  },
  DISPATCH_RULE_DUPLICATE: {
    status: 409,
    zh: '该类别在此单位已有派遣规则，请先删除原规则',
    en: 'This category already has a dispatch rule at this unit; delete it first',
  },
  DISPATCH_RULE_DEPARTMENT_OUTSIDE: {
    status: 422,
    zh: '该部门不负责此单位所在辖区',
    en: 'The department does not serve the territory of this unit',
  },
  LOCATION_REQUIRED: {
    status: 422,
    zh: '请提供位置：地图坐标或地址',
    en: 'A location is needed: a map point or an address',
  },
  CHANNEL_NOT_ALLOWED: {
    status: 403,
    zh: '您不能通过此渠道上报',
    en: 'You cannot report through this channel',
  },
  CASE_VERSION_CONFLICT: {
    status: 409,
    zh: '案件已被他人处理，请刷新后重试',
    en: 'Someone else changed this case; reload and try again',
  },
  CASE_STATE_CONFLICT: {
    status: 409,
    zh: '案件当前状态不允许此操作',
    en: 'This action is not possible in the case’s current state',
  },
  CASE_REQUIREMENT_MISSING: {
    status: 422,
    zh: '此操作缺少必需的内容（原因、照片或选择）',
    en: 'This action needs more (a reason, photos or a choice)',
  },
  CASE_FIELD_NOT_ALLOWED: {
    status: 400,
    zh: '此操作不接受所填的内容（例如只有立案时可以改类）',
    en: 'This action does not take a field that was sent (the category, say, is corrected only at registration)',
  },
  CASE_PRECONDITION_FAILED: {
    status: 409,
    zh: '不满足此操作的前提条件',
    en: 'A precondition of this action is not met',
  },
  VERIFIER_IS_HANDLER: {
    status: 403,
    zh: '核查须由处置人以外的网格员进行',
    en: 'Verification must be done by someone other than the handler',
  },
  DEPARTMENT_UNKNOWN: { status: 422, zh: '部门不存在或已停用', en: 'Unknown or disabled department' },
  MERGE_TARGET_INVALID: {
    status: 422,
    zh: '不能合并到该案件（不存在、已结束或就是本案）',
    en: 'Cannot merge into that case (missing, finished, or this very case)',
  },
  CASE_NOT_FOLLOWABLE: {
    status: 409,
    zh: '该案件已办结、不予立案或已合并，不能再关注',
    en: 'This case is closed, rejected or merged and can no longer be followed',
  },
  SUMMONS_VERSION_CONFLICT: {
    status: 409,
    zh: '约请已被他人处理，请刷新后重试',
    en: 'Someone else changed this summons; reload and try again',
  },
  SUMMONS_STATE_CONFLICT: {
    status: 409,
    zh: '约请已办结或已撤销，不能再执行此操作',
    en: 'This summons is closed or cancelled; the action is no longer possible',
  },
  SUMMONS_ALREADY_REPLIED: {
    status: 409,
    zh: '本部门已答复过此约请',
    en: 'Your department has already replied to this summons',
  },
  SUMMONS_REPLY_INVALID: {
    status: 422,
    zh: '答复不完整：接受须填写到场时间，拒绝须说明理由（至少 4 个字）',
    en: 'Incomplete reply: accepting needs an arrival time, declining a reason (at least 4 characters)',
  },
  SUMMONS_TEXT_REQUIRED: {
    status: 422,
    zh: '请填写办理结果或撤销理由（至少 4 个字）',
    en: 'Write the outcome or the reason (at least 4 characters)',
  },
  SUMMONS_TIME_INVALID: {
    status: 422,
    zh: '时间不合理：约请时间不能早于现在，到场时间不能早于约请发出时间',
    en: 'Unreasonable time: the requested time cannot be in the past, nor an arrival before the summons was sent',
  },
  SUMMONS_DEPARTMENT_OUTSIDE: {
    status: 422,
    zh: '该部门不服务于发起单位所在辖区',
    en: 'The department does not serve the territory of the issuing unit',
  },
  SUMMONS_UNIT_INVALID: {
    status: 422,
    zh: '单位层级不符：约请由居（村）委会或街道（镇）发起，联席会议由区、街道（镇）或居（村）委会召集',
    en: 'Wrong unit level: committees and subdistricts issue summonses; districts, subdistricts and committees convene joint meetings',
  },
  MEETING_VERSION_CONFLICT: {
    status: 409,
    zh: '会议记录已被他人修改，请刷新后重试',
    en: 'Someone else changed this joint meeting; reload and try again',
  },
  MEETING_DECISION_DONE: {
    status: 409,
    zh: '该议定事项已标记为完成',
    en: 'This decision is already marked as done',
  },
  MEETING_PARTICIPANT_UNKNOWN: {
    status: 422,
    zh: '参会人员或责任人不存在或已停用',
    en: 'Unknown or disabled attendee or owner',
  },
  INDICATOR_PERIOD_INVALID: {
    status: 422,
    zh: '统计周期无效：请给出有效日期（yyyy-mm-dd，2000–2100 年），自定义周期须起止有序且不超过三年',
    en: 'Invalid period: give real dates (yyyy-mm-dd, years 2000–2100); a custom period runs forward, at most three years',
  },
  INDICATOR_UNKNOWN: {
    status: 422,
    zh: '没有这个指标',
    en: 'No such indicator',
  },
  INDICATOR_FILTER_UNKNOWN: {
    status: 422,
    zh: '筛选条件中的部门或案件类别不存在',
    en: 'The department or case category in the filter does not exist',
  },
  INDICATOR_LEVEL_INVALID: {
    status: 422,
    zh: '排名层级须低于所选单位，且只用于按单位排名',
    en: 'The ranking level must lie below the chosen unit, and applies to ranking units only',
  },
  MONTH_INVALID: {
    status: 422,
    zh: '月份无效：请给出 yyyy-mm（2000–2100 年）；起止月份须有序，且不超过 12 个月',
    en: 'Invalid month: give yyyy-mm (years 2000–2100); a range of months runs forward, at most 12 months',
  },
  ASSESSMENT_UNIT_INVALID: {
    status: 422,
    zh: '单元网格没有下级单位，不能按下级单位考核；请选择上级单位或按部门考核',
    en: 'A unit grid has no units below it to assess; choose a higher unit or assess its departments',
  },
  EXPORT_PURPOSE_REQUIRED: {
    status: 422,
    zh: '导出未脱敏的个人信息须说明用途（至少 4 个字）',
    en: 'Exporting personal data unmasked needs a stated purpose (at least 4 characters)',
  },
  EXPORT_UNMASK_FORBIDDEN: {
    status: 403,
    zh: '您的角色不能导出未脱敏的个人信息',
    en: 'Your role may not export personal data unmasked',
  },
  LIVE_UNAVAILABLE: {
    status: 503,
    zh: '实时推送暂不可用，请刷新页面查看最新情况',
    en: 'Live updates are unavailable; reload to see the latest',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    zh: '数据库暂时不可用，请稍后再试',
    en: 'The database is unavailable; please try again shortly',
  },
  // Refused uploads (MEDIA_NOT_IMAGE, MEDIA_TOO_LARGE, MEDIA_TOO_MANY …): built from common/media.ts.
  ...MEDIA_ERRORS,
  PHOTO_UNKNOWN: {
    status: 422,
    zh: '照片不存在或不是您上传的，请重新上传',
    en: 'Unknown photo, or not one you uploaded; upload it again',
  },
  MACHINE_KEY_INVALID: {
    status: 401,
    zh: '设备密钥无效，请检查 Authorization: Bearer 请求头',
    en: 'Invalid machine key; check the Authorization: Bearer header',
  },
  MACHINE_KEY_REVOKED: { status: 401, zh: '设备密钥已被吊销', en: 'This machine key has been revoked' },
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    zh: '缺少幂等键（Idempotency-Key 请求头），重试时请使用同一个值',
    en: 'Missing Idempotency-Key header; send the same value when retrying',
  },
  ALARM_OUTSIDE_SCOPE: {
    status: 422,
    zh: '告警位置不在该设备密钥的辖区网格内',
    en: "The alarm's place is not in a grid of this machine key's unit",
  },
  OPEN311_KEY_UNIT_INVALID: {
    status: 422,
    zh: 'Open311 接口密钥须绑定到一个区（即其 jurisdiction_id）',
    en: 'An Open311 key is bound to a district (its jurisdiction_id)',
  },
  // Open311 GeoReport v2 (server/open311): answered in the specification's error format.
  OPEN311_FORMAT_UNKNOWN: {
    status: 400,
    zh: '不支持的格式：请在地址末尾使用 .xml 或 .json',
    en: 'Unsupported format: end the URL with .xml or .json',
  },
  OPEN311_JURISDICTION_REQUIRED: {
    status: 400,
    zh: '缺少 jurisdiction_id（本服务接入多个区，须指明区划代码）',
    en: 'jurisdiction_id was not provided (this endpoint serves several districts)',
  },
  OPEN311_JURISDICTION_UNKNOWN: { status: 404, zh: '没有这个 jurisdiction_id', en: 'jurisdiction_id not found' },
  OPEN311_API_KEY_INVALID: {
    status: 403,
    zh: 'api_key 缺失、无效、已吊销或不适用于此区',
    en: 'Missing or invalid api_key (unknown, revoked, or not for this jurisdiction)',
  },
  OPEN311_SERVICE_REQUIRED: { status: 400, zh: '缺少 service_code', en: 'service_code was not provided' },
  OPEN311_SERVICE_UNKNOWN: { status: 404, zh: '没有这个 service_code', en: 'service_code not found' },
  OPEN311_REQUEST_UNKNOWN: {
    status: 404,
    zh: '没有这个服务请求（service_request_id）',
    en: 'No such service request (service_request_id)',
  },
  OPEN311_LOCATION_REQUIRED: {
    status: 400,
    zh: '请提供位置：lat 与 long、address_string 或 address_id',
    en: 'A location is needed: lat and long, address_string or address_id',
  },
  OPEN311_LOCATION_OUTSIDE: {
    status: 400,
    zh: '位置不在该区（jurisdiction_id）范围内',
    en: 'The location lies outside the jurisdiction',
  },
  OPEN311_ATTRIBUTE_INVALID: {
    status: 400,
    zh: '补充问题（attribute）的回答有误',
    en: 'An attribute (extra question) answer is invalid',
  },
  OPEN311_DATE_RANGE_INVALID: {
    status: 400,
    zh: '时间范围有误：start_date 与 end_date 须为带时区的 W3C 时间（如 2026-01-01T00:00:00+08:00），起止有序，且不超过 90 天',
    en: 'Invalid dates: start_date and end_date are W3C times with a zone (e.g. 2026-01-01T00:00:00Z), in order, at most 90 days apart',
  },
  OPEN311_PARAMETER_INVALID: { status: 400, zh: '请求参数有误', en: 'A request parameter is invalid' },
  // Webhooks (server/webhooks).
  WEBHOOK_URL_INVALID: {
    status: 422,
    zh: '回调地址须为 https:// 开头的完整网址，不含用户名、密码或 # 片段',
    en: 'The target must be a full https:// URL, without user name, password or #fragment',
  },
  WEBHOOK_URL_FORBIDDEN: {
    status: 422,
    zh: '回调地址不能指向内网、本机或保留地址',
    en: 'The target may not be a private, loopback or reserved address',
  },
  WEBHOOK_DISABLED: {
    status: 409,
    zh: '该回调订阅已停用，请先启用再重新推送',
    en: 'This webhook is disabled; enable it before replaying',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误，已记录', en: 'Internal error; it has been logged' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
