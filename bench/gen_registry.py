#!/usr/bin/env python3
"""gen_registry.py: synthetic registry CSV files for imports and benchmarks (fictional people of the demo city).

    gen_registry.py persons N OUT.csv [--seed S] [--gb18030]
    gen_registry.py enrolments N OUT.csv [--seed S]      (for the persons generated with the same N and seed)

ID numbers have correct GB 11643 check digits; areas are the demo city's neighbourhoods; coordinates fall inside
the demo city. The same N and seed always give the same people.
"""
import argparse
import random

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美兰霞平刚桂英玉珍凤洁梅琳素云莲真环雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽建国建华国强志明德华秀兰桂兰玉兰金凤"
NEIGHBOURHOODS = [
    ("339902001001", 29.9900, 122.2000), ("339902001002", 29.9920, 122.2050), ("339902001003", 29.9870, 122.2080),
    ("339902001004", 29.9850, 122.1990), ("339902002001", 30.0010, 122.1950), ("339902002002", 30.0040, 122.1900),
    ("339902002003", 30.0060, 122.1980), ("339902101201", 30.0300, 122.1500), ("339902101202", 30.0350, 122.1420),
    ("339902101203", 30.0260, 122.1380), ("339903001001", 29.9500, 122.3000), ("339903001002", 29.9550, 122.3050),
    ("339903001003", 29.9480, 122.3100), ("339903002001", 29.9300, 122.2900), ("339903002002", 29.9250, 122.2950),
    ("339903002003", 29.9320, 122.2850), ("339903101201", 29.9000, 122.3500), ("339903101202", 29.8950, 122.3600),
    ("339903101203", 29.9050, 122.3550), ("339903101204", 29.8980, 122.3450),
]
ROADS = ["人民路", "解放路", "江滨路", "海港路", "文昌路", "新桥街", "学府路", "北门街", "盐田路", "渔港路", "青屿路", "枫林路"]


def id_number(rng, birth_year, seq):
    region = rng.choice(["339902", "339903", "330902", "330903", "330921"])
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    body = "%s%04d%02d%02d%03d" % (region, birth_year, month, day, seq % 1000)
    total = sum(int(c) * w for c, w in zip(body, WEIGHTS))
    return body + CHECK[total % 11]


def person(rng, i):
    # many elderly: the people a care insurance is about
    year = rng.choice([rng.randint(1925, 1960), rng.randint(1940, 2005), rng.randint(1950, 1970)])
    number = id_number(rng, year, i)
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
    phone = "1%d%09d" % (rng.choice([3, 5, 7, 8, 9]), rng.randint(0, 999999999))
    code, lat, lon = rng.choice(NEIGHBOURHOODS)
    lat += rng.uniform(-0.004, 0.004)
    lon += rng.uniform(-0.004, 0.004)
    address = "江海市%s%d号%d室" % (rng.choice(ROADS), rng.randint(1, 300), rng.randint(101, 1808))
    return number, name, phone, address, code, "%.6f" % lat, "%.6f" % lon


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["persons", "enrolments"])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--gb18030", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    enc = "gb18030" if a.gb18030 else "utf-8"
    seen = set()
    with open(a.out, "w", encoding=enc, newline="") as f:
        if a.kind == "persons":
            f.write("id_number,name,phone,address,area_code,lat,lon\n")
        else:
            f.write("id_number,category,flags,status,effective_from\n")
        i = 0
        while len(seen) < a.n:
            p = person(rng, i)
            i += 1
            if p[0] in seen:
                continue
            seen.add(p[0])
            if a.kind == "persons":
                f.write(",".join(p) + "\n")
            else:
                erng = random.Random(p[0])
                cat = "employee" if erng.random() < 0.4 else "resident"
                flags = []
                if cat == "resident" and erng.random() < 0.04:
                    flags.append("assistance")
                if cat == "resident" and erng.random() < 0.03:
                    flags.append("sponsored")
                f.write("%s,%s,%s,active,2024-01-01\n" % (p[0], cat, ";".join(flags)))


if __name__ == "__main__":
    main()
