/**
 * 简体中文 for exports and reports (案件导出、月度考核), under `exports.`. `exports.en.ts` must have
 * exactly these keys (its type says so). Keep `{ } @ $ |` out of the text except for `{named}` parameters.
 */
const exportsZhCN = {
  nav: {
    assessment: '月度考核',
  },
  home: {
    assessmentDesc: '按月查看下级单位或职能部门的考核指标、综合得分与排名，可打印，可下载 Excel。',
  },
  caseExport: {
    button: '导出',
    title: '导出案件',
    intro: '按列表当前的筛选条件导出辖区内的全部案件，不受列表分页限制。每次导出都会记入审计日志。',
    format: '文件格式',
    csv: 'CSV（Excel 可直接打开）',
    xlsx: 'Excel 工作簿（XLSX）',
    masked: '上报人姓名和电话已脱敏，例如“张**”“138****1234”。',
    unmask: '导出完整的上报人姓名和电话',
    unmaskHint: '仅对您担任受理派遣员的辖区内的案件有效，其余案件仍脱敏；导出用途将记入审计日志。',
    purpose: '导出用途',
    purposePlaceholder: '例如：回访核实处置结果',
    purposeTooShort: '请说明导出用途（至少 {min} 个字）',
    start: '开始导出',
    cancel: '取消',
    close: '关闭',
    preparing: '正在准备导出…',
    progressRows: '已接收 {rows} / {total} 条',
    progressBytes: '共 {total} 条，已接收 {size}',
    done: '已导出 {total} 条案件',
    empty: '没有符合条件的案件，导出的文件只有表头。',
  },
  assessment: {
    title: '月度考核',
    intro: '某月各下级单位或职能部门的考核指标、综合得分与排名。综合得分按系统设置的权重计算，满分 100。',
    month: '考核月份',
    unit: '考核单位',
    group: '考核对象',
    units: '下级单位',
    departments: '职能部门',
    print: '打印',
    download: '下载 Excel',
    rank: '排名',
    unitName: '单位',
    departmentName: '部门',
    code: '代码',
    score: '综合得分',
    total: '合计',
    weights: '权重：{weights}',
    period: '统计期间：{from} 至 {to}',
    asOf: '生成时间：{time}',
    weight: '权重 {weight}',
    empty: '本月没有可考核的单位或部门',
    back: '返回上级单位',
    drill: '查看 {name} 的下级单位',
    deferredLeave: '缓办案件不计入分母',
    heading: '{unit} {month} 月度考核',
  },
};

export type ExportsMessages = typeof exportsZhCN;
export default exportsZhCN;
