/**
 * What a simulated room says: viewer names, comments and gifts, in Chinese and English with
 * emoji, as a real e-commerce or chat room would show them.
 */

/** Names simulated viewers are given. */
export const NAMES = [
  '小鱼儿🐟',
  '星河滚烫',
  'Lucky_Cat',
  '会飞的猪🐷',
  '夏天的风',
  'Mia✨',
  '老王来了',
  '可乐加冰🧊',
  'JohnnyB',
  '一只小熊猫🐼',
  '追光者',
  'Ava Chen',
  '南方姑娘',
  '🌸樱花🌸',
  '路人甲',
  'Kevin_88',
  '甜甜圈🍩',
  '程序员小张',
  'Sunny☀️',
  '月亮不睡我不睡🌙',
] as const;

/** Comment texts a simulated viewer picks from. */
export const COMMENTS = [
  '主播好！',
  '这个多少钱？',
  '有优惠券吗🎫',
  '刚来，讲的是什么？',
  '666666',
  '声音好好听',
  '能再介绍一下吗？',
  '已下单✅',
  '发货快吗',
  '支持支持👍',
  'Hello from Singapore!',
  'How much is it?',
  'Is there an English version?',
  '太好看了😍',
  '尺码偏大还是偏小？',
  '我想要黑色的',
  '哈哈哈哈😂',
  '第一次来，关注了',
  'Love this 💖',
  '什么时候上新？',
] as const;

/** Gifts with their unit value in diamonds (Douyin's unit); `streakable` ones come as combos. */
export const GIFTS = [
  { id: '463', name: '小心心', unitValue: 1, streakable: true },
  { id: '4353', name: '玫瑰', unitValue: 1, streakable: true },
  { id: '685', name: '粉丝灯牌', unitValue: 1, streakable: false },
  { id: '3992', name: '为你点亮', unitValue: 99, streakable: false },
  { id: '4364', name: '抖音1号', unitValue: 1, streakable: true },
  { id: '7934', name: '嘉年华', unitValue: 3000, streakable: false },
] as const;

/** Fan-club badges a simulated viewer picks from; the repeated '' makes most viewers badgeless. */
export const BADGES = ['', '', '', '小鱼粉丝团', '星河团', 'Lucky团'] as const;
