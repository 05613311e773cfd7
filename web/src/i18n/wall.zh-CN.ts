/**
 * 简体中文 for the wall display (指挥大屏), under `wall.`. `wall.en.ts` must have exactly these keys
 * (its type says so). Keep `{ } @ $ |` out of the text except for `{named}` parameters.
 */
const wallZhCN = {
  nav: {
    title: '指挥大屏',
    newTab: '在新标签页打开',
  },
  title: '网格化综合指挥大屏',
  clockLabel: '北京时间',
  fullscreen: {
    enter: '全屏',
    exit: '退出全屏',
  },
  live: {
    open: '实时',
    connecting: '连接中',
    down: '已断开',
  },
  figures: {
    title: '关键指标',
    label: '今日与本月的上报、结案、结案率、按期结案率和超期未处置数',
    today: '今日',
    month: '本月',
    reported: '上报',
    closed: '结案',
    closureRate: '结案率',
    onTimeClosureRate: '按期结案率',
    overdueUnhandled: '超期未处置',
    now: '当前',
  },
  lights: {
    title: '在办案件',
    total: '在办',
    red: '红灯',
    yellow: '黄灯',
    green: '绿灯',
    paused: '暂停',
  },
  map: {
    title: '案件分布',
  },
  ranking: {
    title: '本月综合得分排名',
    label: '下级单位本月综合得分排名（满分 100）',
    empty: '本月暂无排名数据',
  },
  feed: {
    title: '实时动态',
    label: '最新的案件办理动态，最新的在最上面',
    empty: '暂无案件动态',
  },
  failed: '部分数据未能更新，稍后自动重试',
  updated: '更新于 {time}',
};

export type WallMessages = typeof wallZhCN;
export default wallZhCN;
