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
  JOBS_UNAVAILABLE: {
    status: 503,
    zh: '后台任务队列未运行',
    en: 'The job queue is not running',
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
  // Resident archive (server/archive).
  ARCHIVE_ID_NUMBER_INVALID: {
    status: 422,
    zh: '身份证号无效：须为 18 位，出生日期真实且不晚于今天，校验位正确',
    en: 'Invalid ID number: 18 characters, a real birth date not in the future, and a correct check digit',
  },
  ARCHIVE_ID_MISMATCH: {
    status: 422,
    zh: '填写的出生日期或性别与身份证号不一致',
    en: 'The birth date or gender entered does not match the ID number',
  },
  ARCHIVE_DATE_INVALID: {
    status: 422,
    zh: '日期无效（不存在的日期，或晚于今天）',
    en: 'Invalid date (no such day, or in the future)',
  },
  ARCHIVE_PHONE_INVALID: {
    status: 422,
    zh: '电话号码无效：须为 11 位手机号或带区号的固定电话',
    en: 'Invalid phone: an 11-digit mobile or a landline with its area code',
  },
  ARCHIVE_PERSON_DUPLICATE: {
    status: 409,
    zh: '本区已有该身份证号的人员档案',
    en: 'A person with this ID number is already on file in this district',
  },
  ARCHIVE_HOUSEHOLD_HEAD: {
    status: 422,
    zh: '每户须有且只有一名户主',
    en: 'A household needs exactly one head',
  },
  ARCHIVE_ALREADY_MEMBER: {
    status: 409,
    zh: '该人员已属于另一户，请先将其移出原户',
    en: 'This person already belongs to another household; remove them there first',
  },
  ARCHIVE_NOT_SAME_DISTRICT: {
    status: 422,
    zh: '人员、户与房屋须属于同一个区',
    en: 'People, households and dwellings must be in the same district',
  },
  ARCHIVE_UNIT_INVALID: {
    status: 422,
    zh: '所属单位须为社区或网格',
    en: 'The unit must be a community or a grid',
  },
  ARCHIVE_VERSION_CONFLICT: {
    status: 409,
    zh: '该档案已被他人修改，请刷新后重试',
    en: 'Someone else changed this record; reload and try again',
  },
  ARCHIVE_PURPOSE_REQUIRED: {
    status: 422,
    zh: '请选择事由并说明用途（至少 4 个字）',
    en: 'State a purpose: choose a reason and describe it (at least 4 characters)',
  },
  ARCHIVE_TAG_NOT_APPLICABLE: {
    status: 422,
    zh: '该标签不适用：类型已停用、对象不符，或等级填写有误',
    en: 'This tag does not apply: the type is disabled, meant for another kind of record, or the grade is wrong',
  },
  ARCHIVE_TAG_TYPE_DUPLICATE: { status: 409, zh: '标签代码已存在', en: 'A tag type with this code exists' },
  ARCHIVE_MATTER_FORM_DUPLICATE: { status: 409, zh: '表单代码已存在', en: 'A matter form with this code exists' },
  ARCHIVE_MATTER_ANSWERS_INVALID: {
    status: 422,
    zh: '表单填写有误，请检查标出的项',
    en: 'The form answers are invalid; see the fields',
  },
  ARCHIVE_DWELLING_DUPLICATE: {
    status: 409,
    zh: '该楼栋已有相同单元和室号的房屋',
    en: 'This building already has a dwelling with that entrance and room',
  },
  ARCHIVE_GEOMETRY_INVALID: {
    status: 422,
    zh: '楼栋位置无效：须为经纬度点或闭合多边形',
    en: 'Invalid building location: a longitude/latitude point or a closed polygon',
  },
  ARCHIVE_EXPORT_TOO_LARGE: {
    status: 422,
    zh: '导出人数超过上限，请缩小范围',
    en: 'Too many people to export; narrow the filters',
  },
  // Imports (server/imports) and the 12345 hotline (server/hotline).
  IMPORT_FILE_EMPTY: {
    status: 422,
    zh: '文件是空的：没有表头，也没有数据',
    en: 'The file is empty: no header row and no data',
  },
  IMPORT_FILE_FORMAT: {
    status: 415,
    zh: '无法识别的文件，请上传 XLSX、CSV 或 JSON（旧版 .xls 请另存为 .xlsx）',
    en: 'Unrecognised file; upload XLSX, CSV or JSON (save an old .xls as .xlsx)',
  },
  IMPORT_FILE_ENCODING: {
    status: 422,
    zh: '无法识别文件的文字编码，请保存为 UTF-8 或 GBK 编码的 CSV（JSON 须为 UTF-8）',
    en: 'Unrecognised text encoding; save the CSV as UTF-8 or GBK (JSON must be UTF-8)',
  },
  IMPORT_FILE_UNREADABLE: {
    status: 422,
    zh: '文件已损坏或不是表格（XLSX 工作表、CSV，或由对象组成的 JSON 数组）',
    en: 'The file is damaged or not a table (an XLSX sheet, a CSV, or a JSON array of objects)',
  },
  IMPORT_TOO_MANY_ROWS: {
    status: 422,
    zh: '文件超过 100,000 行，请分成几个文件导入',
    en: 'The file has more than 100,000 rows; split it into several files',
  },
  IMPORT_COLUMNS_MISSING: {
    status: 422,
    zh: '文件缺少映射中指定的列，请检查表头或修改映射',
    en: 'The file lacks columns the mapping names; check the header row or the mapping',
  },
  IMPORT_MAPPING_INVALID: {
    status: 422,
    zh: '字段映射有误：必填字段须对应一列，取值须对应已有的代码',
    en: 'Invalid mapping: every required field needs a column, every value an existing code',
  },
  IMPORT_MAPPING_NAME_TAKEN: {
    status: 409,
    zh: '本区已有同名的字段映射',
    en: 'This district already has a mapping of that name',
  },
  IMPORT_VALUE_REQUIRED: { status: 422, zh: '必填项为空', en: 'A required value is missing' },
  IMPORT_VALUE_INVALID: { status: 422, zh: '取值格式不正确', en: 'A value is not in the right form' },
  IMPORT_VALUE_UNKNOWN: {
    status: 422,
    zh: '取值不在映射表中，请在映射中补充后重新导入',
    en: 'A value is not in the mapping; add it there and import again',
  },
  IMPORT_DUPLICATE_KEY: {
    status: 422,
    zh: '文件中重复：与前面一行是同一条记录（同一身份证号或地址在一个文件中只能出现一次）',
    en: 'Duplicate in the file: the same record as an earlier row (an ID number or address may appear once per file)',
  },
  ARCHIVE_IMPORT_MEMBER_UNKNOWN: {
    status: 422,
    zh: '户成员的身份证号在本次导入范围的档案中找不到，请先导入人员',
    en: "A member's ID number is not on file within this import's scope; import the people first",
  },
  ARCHIVE_IMPORT_OUTSIDE_SCOPE: {
    status: 422,
    zh: '此行的人员、户或所属单位不在本次导入的辖区内',
    en: "This row's person, household or unit lies outside the scope of this import",
  },
  ARCHIVE_IMPORT_UNIT_NEEDED: {
    status: 422,
    zh: '档案中还没有此人，新建人员须填写所属社区或网格（且在本次导入范围内）',
    en: 'This person is not on file yet: a new person needs their community or grid (within the import’s scope)',
  },
  IMPORT_ROW_FAILED: {
    status: 500,
    zh: '此行处理时出错，已记录；请稍后重新导入',
    en: 'This row failed unexpectedly (logged); import the file again later',
  },
  IMPORT_RUN_FAILED: {
    status: 500,
    zh: '导入中断，已记录；重新导入同一文件会从头核对，不会重复',
    en: 'The import stopped (logged); importing the same file again checks every row and duplicates nothing',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '此幂等键（Idempotency-Key）已用于内容不同的另一次提交',
    en: 'This Idempotency-Key was used for a different submission',
  },
  EXTERNAL_ID_TAKEN: {
    status: 409,
    zh: '该工单编号已被您权限范围以外的案件使用',
    en: 'This work-order id is already used by a case outside your scope',
  },
  HOTLINE_OUTSIDE_SCOPE: {
    status: 422,
    zh: '工单的承办单位或位置不在本次导入（或接口密钥）的辖区内',
    en: "The order's handling unit or place lies outside the scope of this import (or machine key)",
  },
  HOTLINE_KEY_UNIT_INVALID: {
    status: 422,
    zh: '12345 热线接口密钥须绑定到一个区或区以下的单位（工单按区编号）',
    en: 'A 12345 hotline key is bound to a district or a unit within one (orders are numbered per district)',
  },
  HOTLINE_EXPORT_RANGE_INVALID: {
    status: 422,
    zh: '时间范围有误：since 与 until 须为带时区的时间（如 2026-03-01T00:00:00+08:00），起止有序，且不超过 92 天',
    en: 'Invalid period: since and until are times with a zone (e.g. 2026-03-01T00:00:00+08:00), in order, at most 92 days apart',
  },
  BACKUP_DESTINATION_NOT_EMPTY: {
    status: 409,
    zh: '备份目录已存在且不为空，请换一个目录',
    en: 'The backup directory exists and is not empty; choose another',
  },
  BACKUP_INVALID: {
    status: 422,
    zh: '备份不完整或已损坏（清单或校验和不符），未做任何改动',
    en: 'The backup is incomplete or damaged (manifest or checksums do not match); nothing was changed',
  },
  BACKUP_TOO_NEW: {
    status: 409,
    zh: '备份来自更新版本的网格闭环（含本版本没有的迁移），请先升级',
    en: 'The backup comes from a newer Gridloop (migrations this version lacks); upgrade first',
  },
  RESTORE_TARGET_NOT_EMPTY: {
    status: 409,
    zh: '目标数据库不是空的；确认要以备份覆盖它，请加 --force',
    en: 'The target database is not empty; add --force to replace its contents with the backup',
  },
  // Household visits (server/visits) and the monthly community analysis (server/analysis).
  VISIT_TIME_INVALID: {
    status: 422,
    zh: '走访时间须在最近 31 天之内，且不能晚于现在',
    en: 'The visit time must lie within the last 31 days and not in the future',
  },
  VISIT_HOUSEHOLD_DISSOLVED: {
    status: 409,
    zh: '该户已注销（已迁出），不能再登记走访',
    en: 'This household has been dissolved (moved away); no visit can be recorded',
  },
  VISIT_NEED_NOT_OPEN: {
    status: 409,
    zh: '该诉求已转为案件或已解决，不能再次处理',
    en: 'This need has already been referred to a case or resolved',
  },
  ANALYSIS_UNIT_INVALID: {
    status: 422,
    zh: '月度分析的对象须为居委会（社区）',
    en: 'The monthly analysis is made for a residents’ committee (community)',
  },
  ANALYSIS_MONTH_INVALID: {
    status: 422,
    zh: '月份格式须为 yyyy-mm，且不能晚于本月',
    en: 'The month must be yyyy-mm and not later than this month',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误，已记录', en: 'Internal error; it has been logged' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
