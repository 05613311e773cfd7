/**
 * 简体中文 for the 12345 hotline's work orders (热线工单), under `hotline.`. `hotline.en.ts` must have
 * exactly these keys (its type says so). Keep `{ } @ $ |` out of the text except for `{named}` parameters.
 */
const hotlineZhCN = {
  nav: {
    title: '热线工单',
  },
  home: {
    desc: '导入或接收 12345 热线工单并转为案件办理，回传办理情况',
  },
  title: '12345 热线工单',
  intro:
    '按保存的字段映射导入热线中心导出的工单（XLSX、CSV 或 JSON）：每张工单按编号只转为一件案件，再次导入时内容未变的不写入，内容有变的记下新版本并在案件中注明。热线平台也可用接口密钥推送工单、取回办理情况。',
  tabs: {
    import: '导入工单',
    status: '办理情况回传',
  },
  /** What the import wizard (components/imports) calls a file of orders and its parts. */
  kind: {
    file: '工单文件',
    key: '工单编号',
    namePlaceholder: '如：市热线工单导出',
    isDefault: '作为接口推送的默认映射（热线平台推送的分类、承办单位、紧急程度按它转换）',
    oneOf: '须对应事发地址，或同时对应经度和纬度',
  },
  status: {
    intro:
      '导出所选时间内案件或工单有变化的热线工单的办理情况（办理状态、承办部门、办理结果、各环节时间、回访结果），用于回传热线平台；热线平台也可用接口密钥调用同一接口。',
    since: '开始时间',
    until: '结束时间',
    untilPlaceholder: '不填为现在',
    hint: '北京时间，最长 92 天。',
    invalid: '开始时间须早于结束时间，且相隔不超过 92 天',
    csv: '下载 CSV',
    xlsx: '下载 XLSX',
    json: '查看 JSON',
  },
};

export type HotlineMessages = typeof hotlineZhCN;
export default hotlineZhCN;
