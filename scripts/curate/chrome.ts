/**
 * Site chrome: lines a page wraps around an article (navigation, login and share prompts,
 * follow prompts, counters, forum and news-site furniture). Each rule carries the reason
 * the report gives for removing a line. Rules match whole short lines, never words inside
 * a sentence, so "识别下方二维码，立即报名。" (an event's call to action) stays.
 */
interface ChromeRule {
  reason: string;
  pattern: RegExp;
}

const CHROME_RULES: ChromeRule[] = [
  { reason: "登录提示", pattern: /^(QQ登录|微信登录|登录|注册|登录\s*[|｜]\s*注册|立即登录|只需一步[,，]?\s*快速开始|扫描二维码登录本站|您需要登录后才可以(回帖|发帖).*)$/ },
  { reason: "分享提示", pattern: /^(分享到|分享至|分享：|分享:|微信扫一扫|复制链接|\[复制链接\]|收藏|打印|举报|.*分享朋友圈.*|(微信|微博|QQ空间|朋友圈)(\s+(微信|微博|QQ空间|朋友圈))+)/ },
  { reason: "关注引导", pattern: /点击(上方|下方|标题下).{0,8}(蓝字|关注)|^(关注我们|欢迎关注|设为星标|星标我们)|二维码.{0,6}关注|扫码关注|长按识别/ },
  { reason: "阅读原文链接", pattern: /^(\[)?(点击)?[「“"]?阅读原文[」”"]?/ },
  { reason: "二维码说明", pattern: /^[▲△↑]?\s*(长按|扫描|扫码).{0,12}二维码.{0,12}$|^二维码$/ },
  { reason: "浏览、点赞计数", pattern: /^(已有\s*\d+\s*人(浏览|阅读).*|阅读\s*\d+.*|\d+\s*人(浏览|阅读|点赞).*|(点赞|在看|赞|喜欢)\s*\d*)$/ },
  { reason: "论坛页眉页脚", pattern: /显示全部楼层|阅读模式|切换到宽版|本版积分规则|Powered by Discuz|ICP备|^GMT\+8|^©|^(QQ|小黑屋|Archiver|手机版)\s*[|｜]|^(精彩推荐|热门资讯|网友晒图|图文推荐|返回列表|发新帖|回复|只看该作者|楼主|沙发|板凳|地板)$|^电梯直达/ },
  { reason: "新闻网站栏目", pattern: /^(首页|当前位置|您的位置|您现在的位置)\s*[>＞:：]|^字号[:：]|^(上一篇|下一篇)[:：]|^(返回顶部|关闭窗口|打印本页|纠错)$|^网友评论|^(发表|查看)评论|^评论\s*\d*$/ },
];

/** The reason a line is chrome, or undefined if it may be article text. */
export function chromeReason(line: string): string | undefined {
  const text = line.trim();
  if (text.length > 60) return undefined;
  return CHROME_RULES.find((rule) => rule.pattern.test(text))?.reason;
}

/** Lines after which the article is over: an end mark, an editor credit, a reply box, a related-posts block. */
const END_MARKERS = [
  /THE END/i,
  /^[-—=\s]*(END|完)[-—=\s]*$/,
  /^[（(]?\s*(责任编辑|编辑|校对)\s*[:：].{0,20}[)）]?$/,
  /^您需要登录后才可以(回帖|发帖)/,
  /^(相关(阅读|新闻|推荐|文章)|延伸阅读|往期(推荐|回顾|精选)|推荐阅读|热门(文章|评论)|精彩评论)\s*[:：]?$/,
];

export function isEndMarker(line: string): boolean {
  const text = line.trim();
  return text.length <= 40 && END_MARKERS.some((pattern) => pattern.test(text));
}

/** A reprint or contribution notice in a page footer: kept as the item's `rights`. */
export function isRightsLine(line: string): boolean {
  return line.trim().length <= 80 && /转载|版权|投稿|获得授权|未经授权/.test(line);
}
