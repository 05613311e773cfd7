/**
 * Chinese words for the demo history: places in the demo streets, and what people write about a
 * problem of a category — reports, handling reports, reasons. The catalogue's codes are not known
 * here, so a category finds its words by the keywords of its name (and its major's name); anything
 * unmatched gets the plain wording.
 */
import type { Channel } from '../../../common/cases.js';
import { ROAD_NAMES } from '../demo-names.js';
import type { Rng } from '../random.js';

/** One kind of problem: how it is described, handled and how common it is. */
export interface Topic {
  name: string;
  match: RegExp;
  /** "what is wrong" phrases. */
  details: readonly string[];
  /** "why it matters" phrases. */
  impacts: readonly string[];
  /** Handling reports (处理反馈). */
  handling: readonly string[];
  /** Relative frequency among categories (before the season). */
  weight: number;
  /** Month (1–12) → factor; 1 where absent. */
  season?: Partial<Record<number, number>>;
  /** A sensor can raise it. */
  sensor?: boolean;
}

const SUMMER = { 5: 1.3, 6: 1.8, 7: 2.2, 8: 2.2, 9: 1.5, 12: 0.6, 1: 0.5, 2: 0.5 };
const WARM = { 4: 1.2, 5: 1.4, 6: 1.5, 7: 1.6, 8: 1.6, 9: 1.3, 11: 0.8, 12: 0.6, 1: 0.5, 2: 0.6 };
const WINTER = { 11: 1.4, 12: 2.5, 1: 3, 2: 2.5, 3: 1.2, 6: 0.3, 7: 0.2, 8: 0.2 };

export const TOPICS: readonly Topic[] = [
  {
    name: 'manhole',
    match: /井盖|窨井|雨水口|井/,
    details: ['井盖破损松动', '井盖缺失', '井盖下沉，与路面有高差', '井盖移位，车辆经过时响声很大'],
    impacts: ['存在安全隐患', '行人和非机动车容易绊倒', '夜间经过很危险'],
    handling: ['已更换井盖并复位固定', '已设置警示标志并通知权属单位更换', '已调整井盖高程，与路面平齐'],
    weight: 1.2,
    sensor: true,
  },
  {
    name: 'light',
    match: /路灯|照明|景观灯|灯/,
    details: ['路灯不亮', '路灯白天常亮', '路灯灯杆倾斜', '一排路灯有好几盏不亮'],
    impacts: ['晚上出行不便', '夜间行人看不清路', '存在安全隐患'],
    handling: ['已更换灯具，照明恢复', '已通知养护单位检修，现已恢复正常', '已扶正灯杆并加固'],
    weight: 1,
  },
  {
    name: 'rubbish',
    match: /垃圾|渣土|废弃|不洁|脏乱|保洁|清扫|粪便|遗撒/,
    details: ['垃圾堆积未及时清运', '有人乱倒建筑垃圾', '垃圾桶满溢', '地面脏乱，有大量烟头纸屑', '装修垃圾堆在路边'],
    impacts: ['气味难闻', '影响环境卫生', '招来蚊蝇', '影响居民通行'],
    handling: ['已安排保洁人员清运，现场已清理干净', '已清运垃圾并加密保洁频次', '已清理并对责任人进行教育'],
    weight: 3,
    season: { 7: 1.2, 8: 1.2, 2: 1.2 },
  },
  {
    name: 'clutter',
    match: /堆物|堆料|杂物|乱堆|乱放|晾晒|乱挂/,
    details: ['有人在路边堆放杂物', '楼道里堆满纸板和旧家具', '沿街商铺在门前堆放货物', '绿地里堆放建材'],
    impacts: ['堵塞通道', '存在消防隐患', '影响市容'],
    handling: ['已督促当事人清理堆物，现场恢复整洁', '已联系物业清理楼道杂物', '已清理堆物并告知不得再犯'],
    weight: 2,
  },
  {
    name: 'posters',
    match: /广告|张贴|涂写|刻画|横幅|招牌|店招|标语/,
    details: ['墙面张贴大量小广告', '电线杆上贴满办证小广告', '有人在墙上涂写电话号码', '店招破损摇晃'],
    impacts: ['影响市容', '屡清屡贴', '大风天有掉落风险'],
    handling: ['已清除小广告并加强巡查', '已铲除涂写内容并粉刷墙面', '已督促商户加固店招'],
    weight: 2,
  },
  {
    name: 'vending',
    match: /经营|摊|游商|跨门|占道|夜市|烧烤|兜售/,
    details: ['有商户跨门占道经营', '有流动摊贩在路口摆摊', '饭店在门前露天烧烤', '水果店把货架摆到人行道上'],
    impacts: ['影响行人通行', '高峰时段很拥堵', '周边居民意见很大'],
    handling: ['已劝离摊贩并教育当事人，现场已恢复', '已责令商户退回店内经营', '已依法查处并登记在册'],
    weight: 2.5,
    season: WARM,
  },
  {
    name: 'parking',
    match: /停车|停放|车辆|单车|僵尸车|机动车|非机动车|电动车/,
    details: ['机动车乱停放', '共享单车乱停放堵住路口', '一辆僵尸车长期停在路边', '非机动车停在盲道上'],
    impacts: ['堵塞消防通道', '影响行人通行', '救护车进不来'],
    handling: ['已联系车主挪车并张贴告知单', '已联系运营企业清理单车', '已拖移僵尸车'],
    weight: 3,
  },
  {
    name: 'noise',
    match: /噪声|噪音|扰民|喧哗|广场舞/,
    details: ['夜间施工噪声扰民', '广场舞音响声音过大', '饭店排风机噪声很大', '装修周末一早就开始施工'],
    impacts: ['影响居民休息', '老人孩子睡不好觉', '已经持续好几天'],
    handling: ['已现场劝导，噪声已停止', '已责令施工单位调整作业时间', '已约谈商户加装降噪设施'],
    weight: 1.5,
    season: SUMMER,
  },
  {
    name: 'illegal building',
    match: /违法|违章|搭建|违建|拆除|加层|圈占/,
    details: ['有住户在屋顶违法搭建', '底楼住户圈占公共绿地', '沿街商铺私自搭建雨棚', '天井里正在搭建彩钢板房'],
    impacts: ['影响邻居采光', '存在安全隐患', '影响小区环境'],
    handling: ['已下达整改通知书，违建已拆除', '已责令当事人自行拆除，现场复原', '已立案查处，违建部分拆除'],
    weight: 1,
  },
  {
    name: 'green',
    match: /绿|树|草|花坛|植|枝/,
    details: ['行道树枝杈过长遮挡路灯', '树木倾斜有倒伏危险', '绿地被踩踏黄土裸露', '花坛里的植物枯死'],
    impacts: ['存在安全隐患', '影响市容', '台风天很危险'],
    handling: ['已修剪树枝', '已扶正树木并加固支撑', '已补种绿植并设置护栏'],
    weight: 1.2,
    season: WARM,
  },
  {
    name: 'road',
    match: /道路|路面|人行道|盲道|坑|破损|塌陷|护栏|隔离|桥/,
    details: ['人行道地砖松动破损', '路面出现坑洼', '道路护栏被撞坏', '盲道被破坏'],
    impacts: ['行人容易摔倒', '下雨天积水', '存在交通安全隐患'],
    handling: ['已修复路面', '已更换破损地砖', '已修复护栏'],
    weight: 1.2,
  },
  {
    name: 'water',
    match: /积水|排水|下水道|管道|漏水|渗水|堵塞|污水|雨水|水管|河道|水域/,
    details: ['道路积水严重', '下水道堵塞污水外溢', '自来水管破裂漏水', '雨水口被垃圾堵住'],
    impacts: ['车辆和行人无法通行', '气味难闻', '浪费水资源'],
    handling: ['已疏通管道，积水已排除', '已通知供水单位抢修，现已恢复', '已清理雨水口'],
    weight: 1,
    season: { 5: 1.3, 6: 2.8, 7: 3, 8: 2.5, 9: 2, 12: 0.4, 1: 0.4, 2: 0.4 },
    sensor: true,
  },
  {
    name: 'pollution',
    match: /油烟|异味|污染|排放|粉尘|扬尘|臭/,
    details: ['饭店油烟直排', '工地扬尘很大', '有人焚烧垃圾', '排水口散发刺鼻异味'],
    impacts: ['周边居民无法开窗', '影响身体健康', '气味很大'],
    handling: ['已责令商户安装油烟净化设备', '已督促工地落实覆盖和洒水', '已查处并责令整改'],
    weight: 1,
    season: SUMMER,
  },
  {
    name: 'fire',
    match: /消防|通道|充电|飞线|燃气|火|隐患|烟花|爆竹/,
    details: ['楼道内电动车充电', '有人从楼上拉飞线给电动车充电', '消防通道被占用', '闻到燃气味'],
    impacts: ['存在消防隐患', '一旦起火后果严重', '居民很担心'],
    handling: ['已清理并对居民开展消防宣传', '已拆除飞线并告知到集中充电点充电', '已清理消防通道并张贴警示'],
    weight: 1.2,
    season: { 1: 1.6, 2: 1.8, 12: 1.3 },
    sensor: true,
  },
  {
    name: 'facility',
    match: /设施|健身|座椅|公厕|站亭|邮筒|消火栓|栏杆|指示牌|标志|信号|箱|亭/,
    details: ['健身器材损坏', '公厕设施损坏', '路名牌缺失', '公交站亭玻璃破碎'],
    impacts: ['存在安全隐患', '影响使用', '老人锻炼不方便'],
    handling: ['已通知养护单位维修，现已修复', '已更换损坏部件', '已拆除损坏设施并补装'],
    weight: 0.8,
  },
  {
    name: 'housing',
    match: /群租|房屋|住宅|物业|电梯|外墙|空调|楼道|屋顶|房/,
    details: ['一套房子里住了十几个人', '外墙瓷砖脱落', '电梯经常故障', '空调外机滴水到楼下'],
    impacts: ['存在安全隐患', '影响邻居生活', '居民反映多次没有解决'],
    handling: ['已约谈房东并整改到位', '已督促物业维修', '已通知维修单位处置完毕'],
    weight: 1,
  },
  {
    name: 'animals',
    match: /犬|狗|宠物|动物|鼠|蚊|虫|白蚁/,
    details: ['有人遛狗不牵绳', '小区里流浪猫狗很多', '垃圾房附近老鼠很多', '绿化带里蚊虫很多'],
    impacts: ['老人孩子很害怕', '影响环境卫生', '已经影响到居民生活'],
    handling: ['已对养犬人进行教育', '已开展灭鼠消杀', '已联系专业机构处置'],
    weight: 0.8,
    season: WARM,
  },
  {
    name: 'people',
    match: /困难|老人|救助|纠纷|矛盾|邻里|独居|流浪|乞讨|信访/,
    details: ['一位独居老人多日没有出门', '邻里之间因为漏水发生纠纷', '有流浪人员在桥下过夜', '楼上楼下因为噪声吵架'],
    impacts: ['需要有人关心', '矛盾有激化的可能', '希望社区帮忙协调'],
    handling: ['已上门走访并落实帮扶', '已组织双方调解，达成一致', '已联系救助站妥善安置'],
    weight: 0.8,
    season: WINTER,
  },
  {
    name: 'market',
    match: /食品|无证|无照|价格|虚假|过期|计量|药/,
    details: ['小店销售过期食品', '有人无证经营熟食', '商店不明码标价', '电子秤计量不准'],
    impacts: ['影响食品安全', '侵害消费者权益', '居民意见很大'],
    handling: ['已现场检查并责令整改', '已立案调查', '已没收过期食品并处罚'],
    weight: 0.8,
  },
  {
    name: 'weather',
    match: /冰|雪|冻|台风|倒伏|暴雨|防汛/,
    details: ['路面结冰', '台风过后树木倒伏', '暴雨后围墙倾斜', '屋顶积雪压坏雨棚'],
    impacts: ['行人容易滑倒', '阻断道路', '存在安全隐患'],
    handling: ['已撒盐除冰', '已清理倒伏树木，道路已恢复通行', '已设置围挡并加固'],
    weight: 0.6,
    season: { 7: 2, 8: 2.5, 9: 2, 12: 1.5, 1: 2, 2: 1.5, 4: 0.3, 5: 0.3, 10: 0.5, 11: 0.5 },
  },
];

export const GENERIC_TOPIC: Topic = {
  name: 'generic',
  match: /$^/,
  details: ['出现问题', '情况需要处理', '问题反复出现'],
  impacts: ['影响居民生活', '希望有关部门处理', '居民反映较多'],
  handling: ['已到现场处置完毕', '已协调相关单位处理到位', '已按要求整改完毕'],
  weight: 1,
};

/** The topic of a category, by the keywords in its name, else its major's name. */
export function topicOf(nameZh: string, majorNameZh = ''): Topic {
  return TOPICS.find((t) => t.match.test(nameZh)) ?? TOPICS.find((t) => t.match.test(majorNameZh)) ?? GENERIC_TOPIC;
}

const SPOTS = [
  '小区南门',
  '小区北门',
  '菜场门口',
  '公交站旁',
  '幼儿园门口',
  '沿街商铺前',
  '弄堂口',
  '绿化带边',
  '垃圾厢房旁',
  '健身点',
  '便利店门口',
  '社区食堂附近',
  '停车场入口',
  '地铁站出口',
];
const BUILDING_SPOTS = ['楼下', '门口', '楼道里', '旁边', '后面'];

export interface Place {
  /** Where, as people say it: "梧桐路128号门口", "丁香花园5号楼楼下". */
  text: string;
  /** A postal-style address for the case. */
  address: string;
}

/** The roads of a committee: three per committee, so a neighbourhood keeps its own streets. */
export function roadsOf(committeeIndex: number): string[] {
  return [0, 1, 2].map((k) => ROAD_NAMES[(committeeIndex * 3 + k) % ROAD_NAMES.length] as string);
}

/** A place in a committee's streets. */
export function randomPlace(rng: Rng, committeeShortName: string, roads: readonly string[]): Place {
  const road = rng.pick(roads);
  const number = rng.int(1, 999);
  const address = `${road}${number}号`;
  const roll = rng.next();
  if (roll < 0.35) return { text: `${address}${rng.pick(['门口', '附近', '对面', '旁边'])}`, address };
  if (roll < 0.5) {
    const other = rng.pick(ROAD_NAMES.filter((r) => r !== road));
    return { text: `${road}与${other}交叉口`, address: `${road}${other}路口` };
  }
  if (roll < 0.8) {
    const building = rng.int(1, 60);
    return {
      text: `${committeeShortName}${building}号楼${rng.pick(BUILDING_SPOTS)}`,
      address: `${address}${committeeShortName}${building}号楼`,
    };
  }
  return { text: `${committeeShortName}${rng.pick(SPOTS)}`, address };
}

const SENSORS = ['智能井盖传感器', '积水监测仪', '烟感报警器', '燃气报警器', '水位监测仪'];

export interface ReportText {
  title: string;
  description: string;
  sensorName: string | undefined;
}

/** Title and description of a report, in the voice of its channel. */
export function reportText(rng: Rng, topic: Topic, categoryName: string, channel: Channel, place: Place): ReportText {
  const detail = rng.pick(topic.details);
  const impact = rng.pick(topic.impacts);
  const title = `${place.text}${categoryName}`.slice(0, 40);
  let description: string;
  let sensorName: string | undefined;
  switch (channel) {
    case 'resident':
      description = rng.pick([
        `${place.text}${detail}，${impact}，希望尽快处理。`,
        `${place.text}${detail}好几天了，${impact}，请相关部门管一管。`,
        `我家附近${place.text}${detail}，${impact}。麻烦尽快安排人来看看，谢谢！`,
      ]);
      break;
    case 'hotline':
      description = rng.pick([
        `市民来电反映：${place.text}${detail}，${impact}，要求尽快处理。`,
        `来电人反映${place.text}${detail}，${impact}，希望有关部门尽快解决。`,
      ]);
      break;
    case 'patrol':
      description = rng.pick([
        `巡查发现：${place.text}${detail}。`,
        `网格巡查中发现${place.text}${detail}，${impact}。`,
      ]);
      break;
    case 'survey':
      description = `走访中居民反映：${place.text}${detail}，${impact}。`;
      break;
    case 'board':
      description = `社区通居民留言：${place.text}${detail}，${impact}，请居委会帮忙反映。`;
      break;
    default: {
      sensorName = `${rng.pick(SENSORS)} ${String(rng.int(1, 999)).padStart(3, '0')} 号`;
      description = `${sensorName}报警：${place.text}监测到异常（${categoryName}），请派人现场确认。`;
    }
  }
  return { title, description, sensorName };
}

export const REJECT_TEXTS = {
  not_a_case: ['经核实，现场未发现所述问题', '反映内容为咨询，已电话答复', '现场核实情况不属实'],
  out_of_remit: [
    '经核实不属于本街道管辖范围',
    '属司法诉讼事项，已告知当事人通过诉讼途径解决',
    '属企业内部管理事项，已告知',
  ],
  duplicate: ['与已立案件重复，已告知报告人'],
} as const;

export const TEXTS = {
  returnReasons: [
    '该事项不属于本部门职责，请改派',
    '经核实属于其他部门管辖，退回重新派遣',
    '派遣信息有误，请核实后改派',
  ],
  reassignReasons: ['原处置部门人手不足，转派其他部门', '经协调由其他部门牵头处置'],
  escalateReasons: ['涉及跨街道管辖，需区级部门协调处置', '问题复杂，需上级部门统筹'],
  notes: [
    '已联系当事人，约定明日到场处理',
    '已到现场查看，正在协调相关单位',
    '已告知物业，等待物业配合',
    '材料已申请，近期安排施工',
  ],
  coNotes: ['已配合牵头部门到现场处置', '本部门负责部分已处置完毕'],
  verifyPass: ['现场核查，已处置到位', '核查属实，问题已解决', ''],
  verifyFail: ['现场核查发现仍未整改到位，请返工', '核查发现问题仍然存在，请重新处置', '处置不彻底，现场仍有残留'],
  extensionReasons: ['需协调产权单位，申请延期', '维修材料需采购，申请延期', '涉及多部门协同，需要更多时间'],
  deferralReasons: ['涉及维修资金审批，暂缓办理', '需等待天气好转后施工', '当事人住院，待其出院后处理'],
  denyReasons: ['理由不充分，请按期办结', '该事项可在时限内完成，请抓紧处置'],
  supervise: ['群众反映强烈，请加快处置', '该案件已多次被投诉，请尽快办结', '请牵头部门加强协调，尽快解决'],
  closeUnsolvable: ['涉及历史遗留问题，暂无法解决，已向报告人解释', '需纳入年度改造计划，目前无法解决，已做好解释'],
  closeNotResponsible: ['经核实属外区管辖，已告知报告人向属地反映', '属于专业公司管理范围，已转告相关企业'],
  closeCancelled: ['报告人来电撤销诉求', '问题已由当事人自行解决，报告人撤销'],
  reopen: ['问题仍未解决，要求重新办理', '处理后问题又出现了，请再次处理', '对处理结果不认可，要求重新处理'],
  selfHandle: ['已现场劝导并处置完毕', '已当场清理完毕', '已现场协调解决'],
} as const;
