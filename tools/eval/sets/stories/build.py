"""Builds tools/eval/sets/stories/stories.jsonl from the shared PolNeAR and summaries sets
and the hand-made story labels below (indices into quotes-train + quotes-dev, in file order)."""
import json, os, re
SHARED = os.environ.get('SHARED_EVAL', '../shared/eval') + '/'
rs=[json.loads(l) for l in open(SHARED + 'quotes-train.jsonl')]+[json.loads(l) for l in open(SHARED + 'quotes-dev.jsonl')]
sm={json.loads(l)['id']:json.loads(l) for l in open(SHARED + 'summaries-dev.jsonl')}
STORIES = {
 # same outlet, same article printed again (reprint / second edition)
 'wapo-clinton-gathering-strength-2015-12': [618,619],
 'wapo-misinformation-trump-2015-12': [613,615],
 'nyt-golf-courses-2015-11': [248,249],
 'nyt-scotus-deal-2016-03': [286,287],
 'nyt-sanders-side-doors-2016-03': [291,293],
 'usat-sanders-wins-wisconsin-2016-04': [537,538],
 'usat-dem-debate-schedule-2015-12': [498,499],
 'march-15-primaries-results-2016': [50,51,52,174,175,529,530],
 # one happening, several outlets
 'gop-debate-fox-business-2015-11-10': [0,123,124,125,720],
 'carson-life-story-2015-11-08': [120,480],
 'cnn-wont-pay-trump-debate-2015-12': [131,730],
 'san-bernardino-shooting-2015-12': [10,130],
 'obama-oval-office-terror-speech-2015-12-06': [491,731],
 'trump-muslim-ban-reactions-2015-12': [11,612],
 'clinton-isis-video-claim-2015-12': [139,740],
 'putin-praises-trump-2015-12': [257,258],
 'trump-skips-fox-debate-2016-01-28': [389,512,754],
 'iowa-caucus-results-2016-02-01': [151,152,154,275,513,634,755],
 'nh-primary-results-2016-02-09': [517,637],
 'march-aipac-speeches-2016-03-21': [533,652],
 'sanders-clinton-qualified-2016-04': [180,300],
 'ny-primary-results-2016-04-19': [65,184,304,666],
 'wyoming-gop-convention-2016-04-16': [663,782],
 'april-26-primaries-2016': [186,187,544],
 'ryan-not-ready-for-trump-2016-05-05': [430,791],
 'trump-ryan-meeting-2016-05-12': [73,434],
 'zimmerman-gun-auction-2016-05': [193,558],
 'california-ppic-poll-2016-05': [319,441],
 'clinton-clinches-nomination-2016-06-06': [205,324,684,803],
 'obama-endorses-clinton-2016-06-09': [84,207],
 'orlando-nightclub-shooting-2016-06-12': [211,327,445,568,686,688,805,806],
 'trump-star-of-david-tweet-2016-07': [95,694],
 'comey-no-charges-clinton-2016-07-05': [94,335,452,455,575,815],
 'ginsburg-trump-row-2016-07': [98,576],
 'trump-acceptance-speech-2016-07-21': [102,702],
 'dnc-email-leak-2016-07-25': [104,219],
 'obama-dnc-speech-2016-07-27': [106,342,822],
 'trump-second-amendment-remark-2016-08-09': [590,828],
 'trump-obama-founded-isis-2016-08-11': [229,230,470],
 'biden-campaigns-for-clinton-2016-08-15': [111,349],
 'manafort-ukraine-payments-2016-08': [233,471],
 'ap-clinton-foundation-meetings-2016-08-23': [113,115],
 'weiner-sexting-abedin-separation-2016-08-29': [236,598,836],
 'trump-ryan-endorsement-2016-08': [227,826],
 'trump-mexico-visit-2016-08-31': [599,712],
 'clinton-collapse-9-11-2016': [840,877],
 'schlafly-dies-2016-09-05': [358,839],
 'clinton-tulsa-shooting-remarks-2016-09-20': [855,915],
 'charlotte-police-shooting-2016-09': [907,909],
 'first-presidential-debate-2016-09-26': [847,858,910],
}
# Singletons: each its own story. Many are hard negatives (same days and people as a story above, another happening).
SINGLETONS = [351, 55, 153, 393, 545, 542, 845, 921, 913, 841, 459, 696, 676, 713, 417, 398, 208, 602, 13, 223,
  823, 362, 242, 16, 734, 29, 753, 386, 510, 880, 112, 31, 57, 142, 200, 250, 320, 401, 510, 640, 700, 760, 800]
SUMMARY_STORIES = {'walter-scott-shooting-2015-04': ['3d313cc616b64884a3c351a691d5095a','c49141df06f643f38cc7ea59635592bb','e1bf92b382b44b7d8a012889c0b7e60e']}
EXCLUDED_SUMMARIES = {'8a87811f'}  # FA Cup TV review: same weekend as the Reading preview, left out as ambiguous
used=set(i for v in STORIES.values() for i in v)
sing=[]
for i in SINGLETONS:
    if i not in used and i not in sing: sing.append(i)
def fnv1a32(text):
    h = 0x811c9dc5
    for b in text.encode('utf-8'):
        h ^= b
        h = (h * 0x01000193) & 0xffffffff
    return h
# the same hash as tools/eval/halves.ts, over the story id: a story never straddles the halves
def split(story): return 'dev' if fnv1a32(story) & 1 == 0 else 'held-out'
def clean_title(t): return t.strip()
out=[]
for story, idx in STORIES.items():
    for i in idx: out.append((rs[i], story))
for i in sing:
    out.append((rs[i], 'single-' + rs[i]['id'][:60]))
recs=[]
for r, story in out:
    recs.append({'id': r['id'], 'title': clean_title(r['title']), 'text': r['text'], 'published': r['date'], 'outlet': r['publisher'], 'url': None, 'story': story, 'split': split(story), 'source': 'PolNeAR ' + r['source']})
summ_used=set(x for v in SUMMARY_STORIES.values() for x in v)
for story, ids in SUMMARY_STORIES.items():
    for k in ids:
        x=sm[k]; recs.append({'id': 'cnndm-'+k, 'title': None, 'text': x['text'], 'published': None, 'outlet': None, 'url': None, 'story': story, 'split': split(story), 'source': 'CNN/DailyMail via ' + x['source']})
n=0
for k,x in sm.items():
    if k in summ_used or k[:8] in EXCLUDED_SUMMARIES: continue
    if n>=40: break
    n+=1
    story='single-cnndm-'+k
    recs.append({'id': 'cnndm-'+k, 'title': None, 'text': x['text'], 'published': None, 'outlet': None, 'url': None, 'story': story, 'split': split(story), 'source': 'CNN/DailyMail via ' + x['source']})
# arrival order: by published date (undated last), then id
recs.sort(key=lambda r: (r['published'] or '9999', r['id']))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stories.jsonl'),'w') as f:
    for r in recs: f.write(json.dumps(r, ensure_ascii=False)+'\n')
import collections
c=collections.Counter(r['story'] for r in recs)
multi=[s for s,v in c.items() if v>1]
print('articles',len(recs),'stories',len(c),'multi',len(multi),'in multi',sum(c[s] for s in multi))
for sp in ('dev','held-out'):
    rr=[r for r in recs if r['split']==sp]; cc=collections.Counter(r['story'] for r in rr)
    print(sp,len(rr),'multi',sum(1 for v in cc.values() if v>1))
